// Random member sets packed to tar read back identical through every kind of source (plain and
// compressed, random access and streams cut into random chunks); ranges equal slices.

import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sourceFromBlob, sourceFromBytes, sourceFromStream } from "../../src/source/open";
import type { CheckpointSource } from "../../src/source/source";
import { chunkedStream, readEverything, sameBytes, sameFiles, type SourceContents } from "../support/sources";
import { writeTar, type TarEntry } from "../support/tar-writer";
import { zstdFrame } from "../support/zstd-frame";

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,11}$/);
const longSegment = fc.string({ unit: fc.constantFrom("a", "b", "é", "-"), minLength: 40, maxLength: 90 });
const memberName = fc.array(fc.oneof({ weight: 5, arbitrary: segment }, { weight: 1, arbitrary: longSegment }), { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const entry: fc.Arbitrary<TarEntry> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name: memberName, data: fc.uint8Array({ maxLength: 3000 }) }) },
  { weight: 1, arbitrary: fc.record({ name: memberName, data: fc.integer({ min: 0, max: 255 }).chain((b) => fc.integer({ min: 1, max: 20000 }).map((n) => new Uint8Array(n).fill(b))) }) },
  { weight: 1, arbitrary: memberName.map((name) => ({ name, type: "directory" as const })) },
  { weight: 1, arbitrary: fc.record({ name: memberName, linkTarget: fc.oneof(segment, longSegment) }).map((e) => ({ ...e, type: "symlink" as const })) },
);
export const entries = fc.uniqueArray(entry, { selector: (e) => e.name, maxLength: 12 });
const chunkSizes = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 });
const tiny = { keep: { smallMemberBytes: 64 } }; // most members not kept: reads take another pass

function expected(list: readonly TarEntry[]): SourceContents {
  return {
    members: list.map((e) =>
      e.type === "directory"
        ? { name: e.name, size: 0, type: "directory" as const }
        : e.type === "symlink"
          ? { name: e.name, size: 0, type: "symlink" as const, linkTarget: e.linkTarget! }
          : { name: e.name, size: e.data!.length, type: "file" as const },
    ),
    files: new Map(list.filter((e) => (e.type ?? "file") === "file").map((e) => [e.name, e.data!])),
  };
}

type Kind = (tar: Uint8Array, chunks: number[]) => Promise<CheckpointSource>;
export const KINDS: Record<string, Kind> = {
  "tar bytes (indexed)": (tar) => sourceFromBytes(tar),
  "tar Blob (indexed)": (tar) => sourceFromBlob(new Blob([tar.slice()])),
  "tar stream": (tar, chunks) => sourceFromStream(chunkedStream(tar, chunks)),
  "tar.gz bytes": (tar) => sourceFromBytes(gzipSync(tar)),
  "tar.gz bytes, small members only kept": (tar) => sourceFromBytes(gzipSync(tar), "x.tar.gz", tiny),
  "tar.gz stream": (tar, chunks) => sourceFromStream(chunkedStream(gzipSync(tar), chunks)),
  "tar.zst Blob, small members only kept": (tar, chunks) => sourceFromBlob(new Blob([zstdFrame(tar, chunks[0]! * 7).slice()]), "x.tar.zst", tiny),
  "tar.zst stream": (tar, chunks) => sourceFromStream(chunkedStream(zstdFrame(tar, chunks[0]! * 3), chunks)),
};

describe.each(Object.entries(KINDS))("%s", (_, open) => {
  it("reads back every member, whole and streamed", async () => {
    await fc.assert(
      fc.asyncProperty(entries, fc.constantFrom<"gnu" | "pax">("gnu", "pax"), chunkSizes, async (list, longNames, chunks) => {
        const got = await readEverything(() => open(writeTar(list, longNames), chunks));
        const want = expected(list);
        expect(got.members).toEqual(want.members);
        expect(sameFiles(got.files, want.files)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("readRanges equals slicing", async () => {
    const withRanges = entries
      .filter((list) => list.some((e) => (e.data?.length ?? 0) > 0))
      .chain((list) => {
        const files = list.filter((e) => (e.data?.length ?? 0) > 0);
        const range = fc.constantFrom(...files).chain((e) =>
          fc.integer({ min: 0, max: e.data!.length }).chain((offset) => fc.integer({ min: 0, max: e.data!.length - offset }).map((length) => ({ name: e.name, offset, length }))),
        );
        return fc.tuple(fc.constant(list), fc.array(range, { minLength: 1, maxLength: 6 }));
      });
    await fc.assert(
      fc.asyncProperty(withRanges, chunkSizes, async ([list, ranges], chunks) => {
        const source = await open(writeTar(list), chunks);
        const got = await source.readRanges(ranges);
        const files = expected(list).files;
        ranges.forEach((r, i) => expect(sameBytes(got[i]!, files.get(r.name)!.subarray(r.offset, r.offset + r.length))).toBe(true));
        await expect(source.readRanges([{ ...ranges[0]!, length: files.get(ranges[0]!.name)!.length + 1 }])).rejects.toMatchObject({ kind: "out-of-range" });
        await expect(source.read("no/such/member")).rejects.toMatchObject({ kind: "missing-member", member: "no/such/member" });
        await source.close();
      }),
      { numRuns: 30 },
    );
  });
});
