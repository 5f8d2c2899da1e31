// gzip archives in Node go through zlib (nodeDecoders), pulled: the same members as the browser
// path (DecompressionStream), and damage is a SourceError naming the archive and the offset.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { openArchiveFile } from "../../src/node/archive-file";
import { gunzipChunks } from "../../src/node/gunzip";
import { sourceFromBytes } from "../../src/source/open";
import { SourceError } from "../../src/source/source";
import { readFixture } from "../support/fixtures";
import { readEverything, sameFiles } from "../support/sources";

const work = mkdtempSync(join(tmpdir(), "gunzip-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("gzip through zlib", () => {
  it("gives the bytes back, in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 700 }), async (data, size) => {
        const gz = gzipSync(data);
        async function* chunks() {
          for (let at = 0; at < gz.length; at += size) yield gz.subarray(at, at + size);
        }
        const out: number[] = [];
        for await (const c of gunzipChunks(chunks())) out.push(...c);
        expect(out).toEqual([...data]);
      }),
      { numRuns: 60 },
    );
  });

  it("an archive file reads the same members as the browser path", async () => {
    const bytes = readFixture("archives/podman-forensics.tar.gz");
    const file = join(work, "f.tar.gz");
    writeFileSync(file, bytes);
    const viaFile = await readEverything(() => openArchiveFile(file));
    const viaBytes = await readEverything(() => sourceFromBytes(bytes, "f.tar.gz"));
    expect(viaFile.members.map((m) => m.name)).toEqual(viaBytes.members.map((m) => m.name));
    expect(sameFiles(viaFile.files, viaBytes.files)).toEqual([]);
    expect(viaFile.files.size).toBeGreaterThan(40);
  });

  it("a damaged archive file is a SourceError naming it", async () => {
    const bytes = readFixture("archives/podman-forensics.tar.gz").slice();
    bytes[bytes.length - 6]! ^= 0xff; // the CRC32
    const file = join(work, "damaged.tar.gz");
    writeFileSync(file, bytes);
    const err = await readEverything(() => openArchiveFile(file)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toMatchObject({ kind: "corrupt", source: file });
    expect((err as SourceError).offset).toBeGreaterThan(0);
  });
});
