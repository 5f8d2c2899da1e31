// Arbitrary tar member sets, and every kind of source an archive can be opened as (plain,
// gzip, zstd; random access, passes, one-shot streams in random chunks), for the source tests.

import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { sourceFromBlob, sourceFromBytes, sourceFromStream } from "../../src/source/open";
import type { CheckpointSource } from "../../src/source/source";
import { chunkedStream } from "./sources";
import type { TarEntry } from "./tar-writer";
import { zstdFrame } from "./zstd-frame";

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
export const chunkSizes = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 8 });
const tiny = { keep: { smallMemberBytes: 64 } }; // most members not kept: reads take another pass

export type Kind = (tar: Uint8Array, chunks: number[]) => Promise<CheckpointSource>;
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

