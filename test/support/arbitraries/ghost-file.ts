import fc from "fast-check";
import type { GhostChunk, GhostFileHead } from "../../../src/image/entries";
import { ghost_chunk_entrySchema, ghost_file_entrySchema, type ghost_chunk_entry, type ghost_file_entry } from "../../../src/schema/all";
import { messageArbitrary, withFields } from "./message";
import { payloadBytes } from "./sized-payload-entry";

export type GhostFileEntries = [GhostFileHead, ...GhostChunk[]];

const chunk: fc.Arbitrary<GhostChunk> = fc
  .tuple(messageArbitrary(ghost_chunk_entrySchema, 1), payloadBytes)
  .map(([m, data]) => ({ entry: withFields(ghost_chunk_entrySchema, m as ghost_chunk_entry, { len: BigInt(data.length) }), data }));

/**
 * The entries of a ghost-file image: a chunked file (`chunks` set) is its head and 0..3
 * chunk records; a plain one is its head with its contents up to the end of the image, or
 * without contents (directories, devices, empty files).
 */
export const ghostFileEntriesArbitrary: fc.Arbitrary<GhostFileEntries> = messageArbitrary(ghost_file_entrySchema, 2).chain((m) => {
  const head = m as ghost_file_entry;
  if (head.chunks) {
    return fc.array(chunk, { maxLength: 3 }).map((chunks): GhostFileEntries => [{ entry: head }, ...chunks]);
  }
  return fc
    .option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: undefined })
    .map((data): GhostFileEntries => [data ? { entry: head, data } : { entry: head }]);
});
