import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openArchiveFile } from "../../src/node/archive-file";
import { openDirectorySource } from "../../src/node/directory-source";
import { sourceFromBlobs } from "../../src/source/blobs";
import { chunkRanges, streamAhead, type StreamRange } from "../../src/source/read-ahead";
import type { CheckpointSource } from "../../src/source/source";
import { writeTar } from "../support/tar-writer";

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("streamAhead", () => {
  const ranges = chunkRanges([
    { name: "a", size: 5 },
    { name: "b", size: 0 },
    { name: "c", size: 3 },
  ], 2);

  it("cuts members into chunks, in order, with their offsets", () => {
    expect(ranges.map((r) => `${r.name}@${r.at}+${r.length}`)).toEqual(["a@0+2", "a@2+2", "a@4+1", "c@0+2", "c@2+1"]);
  });

  it("starts the next read before the current chunk's callback settles", async () => {
    const log: string[] = [];
    await streamAhead(
      ranges,
      async (r) => (log.push(`read ${r.name}@${r.at}`), new Uint8Array(r.length)),
      async (name, at) => {
        log.push(`begin ${name}@${at}`);
        await tick(1);
        log.push(`end ${name}@${at}`);
      },
    );
    // Each chunk's callback begins after its own read, and the following read starts before the callback ends.
    for (let i = 0; i + 1 < ranges.length; i++) {
      const key = `${ranges[i]!.name}@${ranges[i]!.at}`;
      const next = `${ranges[i + 1]!.name}@${ranges[i + 1]!.at}`;
      expect(log.indexOf(`read ${next}`)).toBeLessThan(log.indexOf(`end ${key}`));
      expect(log.indexOf(`read ${key}`)).toBeLessThan(log.indexOf(`begin ${key}`));
    }
  });

  it("alternates the two slots, so a reused buffer is never overwritten while its chunk is handled", async () => {
    const slots: number[] = [];
    await streamAhead(ranges, async (_r, slot) => (slots.push(slot), new Uint8Array(1)), () => {});
    expect(slots).toEqual([0, 1, 0, 1, 0]);
  });

  it("gives a read-ahead failure to the caller, never as an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const read = async (r: StreamRange) => {
        if (r.at === 2) throw new Error(`cannot read ${r.name}@${r.at}`);
        return new Uint8Array(r.length);
      };
      // The failing read happens while the first callback is still waiting.
      await expect(streamAhead(ranges, read, () => tick(20))).rejects.toThrow("cannot read a@2");
      await tick(20);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("stops when the signal aborts, starting no read after it", async () => {
    const stop = new AbortController();
    const seen: string[] = [];
    let reads = 0;
    await streamAhead(
      ranges,
      async (r) => (reads++, new Uint8Array(r.length)),
      (name, at) => {
        seen.push(`${name}@${at}`);
        if (seen.length === 2) stop.abort();
      },
      stop.signal,
    );
    expect(seen).toEqual(["a@0", "a@2"]);
    // The read ahead of the aborting chunk was already under way; none after it.
    expect(reads).toBe(3);
  });
});

// Real sources: each chunk must still hold its bytes when the callback looks at it after a
// wait (the next read has run meanwhile, possibly into a reused buffer).
describe("stream() of random-access sources, read ahead", () => {
  const dir = mkdtempSync(join(tmpdir(), "read-ahead-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const big = new Uint8Array(3 * (1 << 20) + 12345);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  const small = new TextEncoder().encode("a small member\n");
  writeFileSync(join(dir, "pages-1.img"), big);
  writeFileSync(join(dir, "small.txt"), small);
  const tar = join(dir, "..", `${dir.split("/").pop()}.tar`);
  writeFileSync(tar, writeTar([{ name: "small.txt", data: small }, { name: "pages-1.img", data: big }]));
  afterAll(() => rmSync(tar, { force: true }));
  const want = new Map([
    ["pages-1.img", big],
    ["small.txt", small],
  ]);

  const cases: [string, () => Promise<CheckpointSource>][] = [
    ["a directory", () => openDirectorySource(dir)],
    ["a plain tar file", () => openArchiveFile(tar)],
    ["Blobs", async () => sourceFromBlobs([...want].map(([name, bytes]) => ({ name, blob: new Blob([bytes]) })))],
  ];
  for (const [what, open] of cases) {
    it(`${what}: every chunk intact until its callback settles`, async () => {
      const source = await open();
      try {
        const got = new Map<string, number>();
        await source.stream(["pages-1.img", "small.txt"], async (name, offset, chunk) => {
          const expected = want.get(name)!.subarray(offset, offset + chunk.length);
          const before = Buffer.from(chunk).equals(expected);
          await tick(2);
          expect(before && Buffer.from(chunk).equals(expected), `${name} at ${offset}`).toBe(true);
          got.set(name, (got.get(name) ?? 0) + chunk.length);
        });
        expect(got).toEqual(new Map([...want].map(([name, bytes]) => [name, bytes.length])));
      } finally {
        await source.close();
      }
    });
  }

  it("a tar cut short after it was opened: a typed error naming the member and where its bytes stop", async () => {
    const cut = `${tar}.cut.tar`;
    writeFileSync(cut, writeTar([{ name: "small.txt", data: small }, { name: "pages-1.img", data: big }]));
    try {
      const source = await openArchiveFile(cut);
      const size = statSync(cut).size;
      // pages-1.img's data starts after small.txt (512 + 512) and its own header (512).
      truncateSync(cut, 1536 + (1 << 20) + 100);
      expect(statSync(cut).size).toBeLessThan(size);
      const err = await source.stream(["pages-1.img"], () => {}).then(() => undefined, (e: unknown) => e);
      await source.close();
      expect(err).toMatchObject({ name: "SourceError", kind: "truncated", member: "pages-1.img", offset: (1 << 20) + 100, archiveOffset: 1536 + (1 << 20) + 100 });
    } finally {
      rmSync(cut, { force: true });
    }
  });
});
