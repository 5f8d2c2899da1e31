// Damaged archives: cut at any offset, a size field that lies past the end, a corrupted header
// byte, corrupted or cut gzip/zstd streams, unknown formats. Always a SourceError with a kind and
// a member or an offset; never another exception, never a hang, never a large allocation.

import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sourceFromBytes, sourceFromStream } from "../../src/source/open";
import { SourceError, type SourceErrorKind } from "../../src/source/source";
import { BLOCK } from "../../src/source/tar-header";
import { readFixture } from "../support/fixtures";
import { chunkedStream, readEverything } from "../support/sources";
import { fixChecksum, writeTar } from "../support/tar-writer";
import { entries, KINDS } from "../support/source-kinds";

async function failure(read: () => Promise<unknown>): Promise<SourceError | undefined> {
  try {
    await read();
    return undefined;
  } catch (err) {
    if (!(err instanceof SourceError)) throw new Error(`not a SourceError: ${String(err)}`, { cause: err });
    expect(err.member !== undefined || err.offset !== undefined || err.archiveOffset !== undefined, err.message).toBe(true);
    return err;
  }
}

const nonEmpty = entries.filter((list) => list.some((e) => (e.type ?? "file") === "file"));

/** Offsets of every header block of a tar made by writeTar (long-name records included). */
function headerOffsets(tar: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const block = tar.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) break;
    offsets.push(at);
    const size = parseInt(new TextDecoder().decode(block.subarray(124, 135)), 8);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return offsets;
}

describe.each(Object.entries(KINDS))("%s", (_, open) => {
  it("an archive cut at any offset gives truncated, corrupt or (cut inside the first bytes) unsupported", async () => {
    await fc.assert(
      fc.asyncProperty(nonEmpty, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1 }), async (list, where, chunks) => {
        const tar = writeTar(list);
        const cut = tar.subarray(0, Math.floor(where * tar.length));
        const err = await failure(() => readEverything(() => open(cut, chunks)));
        expect(err?.kind).toBeDefined();
        expect(["truncated", "corrupt", "unsupported"] as SourceErrorKind[]).toContain(err!.kind);
      }),
      { numRuns: 40 },
    );
  });

  it("a size field that runs past the end names the member", async () => {
    await fc.assert(
      fc.asyncProperty(nonEmpty, fc.integer({ min: 1, max: 2 ** 40 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1 }), async (list, extra, base256, chunks) => {
        const tar = writeTar(list, "gnu");
        const files = headerOffsets(tar).filter((at) => tar[at + 156] === 0x30);
        const at = files[0]!;
        const name = list.find((e) => (e.type ?? "file") === "file")!.name;
        const size = tar.length - at - BLOCK + extra;
        const field = tar.subarray(at + 124, at + 136);
        if (base256) {
          field.fill(0);
          field[0] = 0x80;
          for (let i = 11, v = size; i > 0; i--, v = Math.floor(v / 256)) field[i] = v % 256;
        } else field.set(new TextEncoder().encode(Math.min(size, 8 ** 11 - 1).toString(8).padStart(11, "0") + "\0"));
        fixChecksum(tar.subarray(at, at + BLOCK));
        const err = await failure(() => readEverything(() => open(tar, chunks)));
        expect(err).toBeDefined();
        expect(["truncated", "corrupt"]).toContain(err!.kind);
        expect(err!.member).toBe(name);
      }),
      { numRuns: 40 },
    );
  });

  it("a corrupted header byte is a checksum mismatch at that header", async () => {
    await fc.assert(
      fc.asyncProperty(nonEmpty, fc.nat(), fc.integer({ min: 0, max: BLOCK - 9 }), fc.integer({ min: 1, max: 255 }), async (list, pick, byte, delta) => {
        const tar = writeTar(list);
        const headers = headerOffsets(tar);
        const at = headers[pick % headers.length]!;
        const offset = at + (byte >= 148 ? byte + 8 : byte); // not the checksum field itself
        tar[offset] = (tar[offset]! + delta) % 256;
        const err = await failure(() => readEverything(() => open(tar, [4096])));
        expect(err?.kind).toBe(at === 0 && !_.includes("gz") && !_.includes("zst") ? "unsupported" : "corrupt");
        if (err!.kind === "corrupt") expect(err!.archiveOffset).toBe(at);
      }),
      { numRuns: 40 },
    );
  });
});

describe("compressed streams", () => {
  const zst = readFixture("archives/podman-forensics.tar.zst");
  const gz = readFixture("archives/podman-forensics.tar.gz");
  const xz = readFixture("archives/podman-forensics.tar.xz");
  const streams = { zst, gz, xz };

  it.each(Object.entries(streams))("%s: a stream cut anywhere gives a SourceError", async (_, bytes) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), fc.boolean(), async (cut, asStream) => {
        const part = bytes.slice(0, cut);
        const err = await failure(() => readEverything(() => (asStream ? sourceFromStream(chunkedStream(part, [1000])) : sourceFromBytes(part))));
        expect(["truncated", "corrupt", "unsupported"]).toContain(err?.kind);
      }),
      { numRuns: 25 },
    );
  });

  it.each(Object.entries(streams))("%s: a corrupted byte gives a SourceError or, where the format has no check on it, a readable archive", async (name, bytes) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, delta) => {
        const damaged = bytes.slice();
        damaged[at] = (damaged[at]! + delta) % 256;
        const err = await failure(() => readEverything(() => sourceFromBytes(damaged, `x.${name}`)));
        if (err !== undefined) expect(["truncated", "corrupt", "unsupported"]).toContain(err.kind);
        // gzip and xz check every byte of the data (CRC32 / CRC64): only header fields such as
        // gzip's mtime and OS byte can change unnoticed.
        if (name === "gz" && at >= 10 && err === undefined) throw new Error(`gzip corruption at ${at} not noticed`);
      }),
      { numRuns: 30 },
    );
  });

  it("a compressed stream's errors name the archive and the compressed offset", async () => {
    const damaged = gzipSync(writeTar([{ name: "a", data: new Uint8Array(100_000).map((_, i) => (i * 7919) % 251) }]));
    damaged[damaged.length - 6]! ^= 0xff; // the CRC32
    const err = await failure(() => readEverything(() => sourceFromBytes(damaged, "damaged.tar.gz")));
    expect(err).toMatchObject({ kind: "corrupt", source: "damaged.tar.gz" });
    expect(err!.offset).toBeGreaterThan(0);
  });

  it("unknown formats are unsupported, naming the first bytes and what is read", async () => {
    const zip = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6);
    const err = await failure(() => sourceFromBytes(zip, "x.zip"));
    expect(err).toMatchObject({ kind: "unsupported", source: "x.zip" });
    expect(err!.message).toContain("50 4b 03 04");
    expect(err!.message).toContain("zstd (28 b5 2f fd)");
    expect((await failure(() => sourceFromBytes(new Uint8Array(0))))!.message).toContain("empty");
  });

  it("a zstd frame asking for a huge window is refused before anything is allocated", async () => {
    const frame = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    const err = await failure(() => readEverything(() => sourceFromBytes(frame)));
    expect(err).toMatchObject({ kind: "unsupported" });
    expect(err!.message).toContain("window");
  });
});
