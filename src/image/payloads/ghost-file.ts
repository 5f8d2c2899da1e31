import { criuMessageSchema } from "../../schema/registry";
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
      const entry = readMessage(r, criuMessageSchema("ghost_file_entry"));
      if (entry.chunks) return { entry };
      const data = r.rest();
      return data.length > 0 ? { entry, data } : { entry };
    }
    if (!first || !(first as GhostFileHead).entry.chunks) {
      throw r.error("bad-payload", "nothing after the contents of a ghost file that is not chunked");
    }
    const entry = readMessage(r, criuMessageSchema("ghost_chunk_entry"));
    return { entry, data: r.take(byteCount(r, entry.len, "chunk data"), "chunk data") };
  },
  write(w, value, index, first) {
    if (index === 0) {
      const { entry, data } = value as GhostFileHead;
      writeMessage(w, criuMessageSchema("ghost_file_entry"), entry);
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
    writeMessage(w, criuMessageSchema("ghost_chunk_entry"), entry);
    w.bytes(data);
  },
};
