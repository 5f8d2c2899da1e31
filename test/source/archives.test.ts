// Every kind of source opens the two Podman checkpoint archives (and a dump directory), with the
// same members and the same bytes from each.

import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { openArchiveFile } from "../../src/node/archive-file";
import { openDirectorySource } from "../../src/node/directory-source";
import { openSource } from "../../src/node/open-source";
import { openSource as openInBrowser, sourceFromBlob, sourceFromStream } from "../../src/source/open";
import type { CheckpointSource } from "../../src/source/source";
import { fixturePath, readFixture } from "../support/fixtures";
import { contentsOf, sameBytes, sameFiles, streamed, type SourceContents } from "../support/sources";

const tmp = mkdtempSync(join(tmpdir(), "criu-source-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ARCHIVES = {
  "podman-busybox": {
    gz: "corpus/podman-busybox/archive/podman-busybox.tar.gz",
    zst: "archives/podman-busybox.tar.zst",
    xz: "archives/podman-busybox.tar.xz",
  },
  "podman-forensics": {
    gz: "archives/podman-forensics.tar.gz",
    zst: "archives/podman-forensics.tar.zst",
    xz: "archives/podman-forensics.tar.xz",
  },
};

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) controller.close();
      else controller.enqueue(bytes.slice(at, (at += size)));
    },
  });
}

describe.each(Object.entries(ARCHIVES))("%s", (name, files) => {
  const plain = new Uint8Array(gunzipSync(readFixture(files.gz)));
  const tarPath = join(tmp, `${name}.tar`);
  writeFileSync(tarPath, plain);
  const gzPath = join(tmp, `${name}.renamed.zst`); // the name lies: detection goes by bytes
  writeFileSync(gzPath, gzipSync(plain));
  let reference: SourceContents;

  const kinds: [string, string, () => Promise<CheckpointSource>][] = [
    ["tar file", "tar", () => openArchiveFile(tarPath)],
    ["tar.gz file (zlib)", "tar.gz", () => openArchiveFile(gzPath)],
    ["tar.gz fixture", "tar.gz", () => openSource(fixturePath(files.gz))],
    ["tar.zst fixture", "tar.zst", () => openSource(fixturePath(files.zst))],
    ["tar.xz fixture", "tar.xz", () => openSource(fixturePath(files.xz))],
    ["tar Blob", "tar", () => sourceFromBlob(new Blob([plain.slice()]), `${name}.tar`)],
    ["tar.zst Blob", "tar.zst", () => sourceFromBlob(new Blob([readFixture(files.zst).slice()]))],
    ["tar bytes", "tar", () => openInBrowser(plain)],
    ["tar.gz bytes", "tar.gz", () => openInBrowser(readFixture(files.gz))],
    ["tar stream", "tar", () => sourceFromStream(chunked(plain, 7919))],
    ["tar.zst stream", "tar.zst", () => openInBrowser(chunked(readFixture(files.zst), 4093))],
    ["tar.xz stream", "tar.xz", () => sourceFromStream(chunked(readFixture(files.xz), 65536))],
  ];

  it("reads the plain tar as the reference", async () => {
    const source = await openArchiveFile(tarPath);
    reference = await contentsOf(source);
    await source.close();
    const names = reference.members.map((m) => m.name);
    for (const want of ["config.dump", "spec.dump", "network.status", "stats-dump", "rootfs-diff.tar", "devshm-checkpoint.tar", "checkpoint/inventory.img", "checkpoint/pstree.img", "checkpoint/pages-1.img"]) {
      expect(names).toContain(want);
    }
    expect(reference.members.find((m) => m.name === "checkpoint")?.type).toBe("directory");
    // The archive's checkpoint/ is the corpus dump directory, byte for byte (busybox's is in test/fixtures).
    if (name === "podman-busybox") {
      const dir = fixturePath("corpus/podman-busybox/images/");
      for (const [member, bytes] of reference.files) {
        if (member.startsWith("checkpoint/") && member !== "checkpoint/descriptors.json") {
          expect(sameBytes(bytes, readFileSync(dir + member.slice("checkpoint/".length))), member).toBe(true);
        }
      }
    }
  });

  it.each(kinds)("%s: same members and bytes, read whole, by range and streamed", async (_, format, open) => {
    const source = await open();
    expect(source.format).toBe(format);
    expect(source.randomAccess).toBe(format === "tar" && !_.includes("stream"));
    const got = await contentsOf(source);
    expect(got.members).toEqual(reference.members);
    expect(sameFiles(got.files, reference.files)).toEqual([]);
    const pages = reference.members.filter((m) => m.name.startsWith("checkpoint/pages-")).map((m) => m.name);
    const ranges = pages.flatMap((page) => [
      { name: page, offset: 0, length: 4096 },
      { name: page, offset: 4093, length: 9000 },
    ]);
    const read = await source.readRanges(ranges);
    read.forEach((bytes, i) => {
      const { name: page, offset, length } = ranges[i]!;
      expect(sameBytes(bytes, reference.files.get(page)!.subarray(offset, offset + length)), `${page} ${offset}`).toBe(true);
    });
    const viaStream = await streamed(source, pages);
    expect(sameFiles(viaStream, new Map(pages.map((p) => [p, reference.files.get(p)!])))).toEqual([]);
    await source.close();
  });

  it("a directory unpacked from it reads the same, symlinks reported", async () => {
    const root = join(tmp, `${name}-dir`);
    for (const m of reference.members) {
      if (m.type === "directory") mkdirSync(join(root, m.name), { recursive: true });
      if (m.type === "file") {
        mkdirSync(dirname(join(root, m.name)), { recursive: true });
        writeFileSync(join(root, m.name), reference.files.get(m.name)!);
      }
    }
    symlinkSync("../predump", join(root, "checkpoint", "parent"));
    const source = await openSource(root);
    expect(source.format).toBe("directory");
    const got = await contentsOf(source);
    const sorted = (list: typeof reference.members) => [...list].sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(sorted(got.members)).toEqual(sorted([...reference.members, { name: "checkpoint/parent", size: 0, type: "symlink", linkTarget: "../predump" }]));
    expect(sameFiles(got.files, reference.files)).toEqual([]);
    expect(sameFiles(await streamed(source), reference.files)).toEqual([]);
    const direct = await openDirectorySource(join(root, "checkpoint"));
    expect((await direct.read("inventory.img")).length).toBe(reference.files.get("checkpoint/inventory.img")!.length);
    await expect(direct.read("parent")).rejects.toMatchObject({ kind: "missing-member", member: "parent" });
    await expect(direct.read("../config.dump")).rejects.toMatchObject({ kind: "missing-member" });
    await expect(direct.readRanges([{ name: "inventory.img", offset: 80, length: 100 }])).rejects.toMatchObject({ kind: "out-of-range" });
  });
});
