import { ghost_chunk_entrySchema, ghost_file_entrySchema } from "../../schema/all";
import type { GhostChunk, GhostFileHead } from "../entries";
import { ImageError } from "../errors";
import { readMessage, writeMessage } from "../message";
import { byteCount, checkLength, type EntryCodec } from "./codec";

type GhostEntry = GhostFileHead | GhostChunk;

/**
 * ghost-file-*.img: ghost_file_entry, then either the file's contents up to the end of the image
 * (small files), or, with `chunks` set, records of ghost_chunk_entry + `len` bytes (holes left
 * out). Directories, devices and links have neither.
 */
export const ghostFile: EntryCodec<GhostEntry> = {
  read(r, index, first) {
    if (index === 0) {
      const entry = readMessage(r, ghost_file_entrySchema);
      if (entry.chunks) return { entry };
      const data = r.rest();
      return data.length > 0 ? { entry, data } : { entry };
    }
    if (!first || !(first as GhostFileHead).entry.chunks) {
      throw r.error("bad-payload", "nothing after the contents of a ghost file that is not chunked");
    }
    const entry = readMessage(r, ghost_chunk_entrySchema);
    return { entry, data: r.take(byteCount(r, entry.len, "chunk data"), "chunk data") };
  },
  write(w, value, index, first) {
    if (index === 0) {
      const { entry, data } = value as GhostFileHead;
      writeMessage(w, ghost_file_entrySchema, entry);
      if (data && data.length > 0) {
        if (entry.chunks) throw new ImageError({ kind: "bad-entry", expected: "chunk entries, not inline contents, for a chunked ghost file" });
        w.bytes(data);
      }
      return;
    }
    if (!first || !(first as GhostFileHead).entry.chunks) {
      throw new ImageError({ kind: "bad-entry", entry: index, expected: "no chunk entries after a ghost file that is not chunked" });
    }
    const { entry, data } = value as GhostChunk;
    checkLength(data.length, entry.len, "chunk data");
    writeMessage(w, ghost_chunk_entrySchema, entry);
    w.bytes(data);
  },
};
