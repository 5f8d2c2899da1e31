import type { DescMessage } from "@bufbuild/protobuf";
import type { AnyImage } from "../../image/entries";
import { encodeImage } from "../../image/encode";
import { ImageError } from "../../image/errors";
import { SHM_IN_PAGEMAPS } from "../../image/payloads/ipc";
import { imageRowByName, type ImageRow } from "../../image/magic-table";
import { criuMessageSchema, criuRegistry } from "../../schema/registry";
import type { bpfmap_data_entry, ghost_file_entry, ipc_msg, ipc_msg_entry, ipc_sem_entry, ipc_shm_entry } from "../../schema/all";
import { fromMimeBase64 } from "../base64";
import { fusedImageBytes } from "./fused-encode";
import { parseJson } from "./parse";
import { finishMessage } from "./read-lossless";
import { expectObject, fail, readMessage as readFields, type Path, type ReadContext } from "./read-message";
import { quoteShort, type JsonObject, type JsonValue } from "../value";

export interface FromCritJsonOptions {
  /** The document's file name, for errors. */
  fileName?: string;
}

/** Reads crit's JSON (plain or pretty) back into an image. Errors name the JSON path. */
export function fromCritJson(text: string, options: FromCritJsonOptions = {}): AnyImage {
  return fromCritValue(parseJson(text, options.fileName), options);
}

export function fromCritValue(doc: JsonValue, options: FromCritJsonOptions = {}): AnyImage {
  const ctx: ReadContext = { file: options.fileName };
  const top = expectObject(doc, ctx, [], 'an object {"magic": ..., "entries": [...]}');
  for (const key of Object.keys(top)) if (key !== "magic" && key !== "entries") throw fail(ctx, [key], '"magic" or "entries"');
  const magic = top.magic;
  if (typeof magic !== "string") throw fail(ctx, ["magic"], "the image type name, a string");
  const row = imageRowByName(magic);
  if (!row) throw fail(ctx, ["magic"], `a known image type, not ${quoteShort(magic)}`);
  const list = top.entries;
  if (!Array.isArray(list)) throw fail(ctx, ["entries"], "a list of entries");
  const entries = list.map((item, i) => readEntry(row, item, i, list[0], ctx, ["entries", i]));
  return { magic: row.name, entries } as AnyImage;
}

function readEntry(row: ImageRow, item: JsonValue, index: number, first: JsonValue | undefined, ctx: ReadContext, path: Path): unknown {
  const schema = criuRegistry.getMessage(row.message) as DescMessage;
  const obj = expectObject(item, ctx, path, `an object for a ${row.message}`);
  const withExtra = (s: DescMessage) => readMessage(s, obj, ctx, path, ["extra"]);
  const bytesExtra = (what: string) => base64(extra(obj, ctx, path, what), ctx, [...path, "extra"], what);
  switch (row.payload) {
    case "entry":
      return readMessage(schema, obj, ctx, path);
    case "pagemap":
      return readMessage(index === 0 ? criuMessageSchema("pagemap_head") : criuMessageSchema("pagemap_entry"), obj, ctx, path);
    case "pipes-data":
    case "sk-queues":
      return { entry: withExtra(schema), data: bytesExtra("the payload in base64") };
    case "tcp-stream": {
      const entry = withExtra(schema);
      const x = expectObject(extra(obj, ctx, path, '{"inq": ..., "outq": ...}'), ctx, [...path, "extra"], '{"inq": ..., "outq": ...}');
      const inq = base64(x.inq, ctx, [...path, "extra", "inq"], "the receive queue in base64");
      const outq = base64(x.outq, ctx, [...path, "extra", "outq"], "the send queue in base64");
      return { entry, inq, outq };
    }
    case "bpfmap-data": {
      const entry = withExtra(criuMessageSchema("bpfmap_data_entry")) as bpfmap_data_entry;
      const all = bytesExtra("the keys and values in base64");
      if (all.length !== entry.keysBytes + entry.valuesBytes) {
        throw fail(ctx, [...path, "extra"], `${entry.keysBytes + entry.valuesBytes} bytes (keys_bytes + values_bytes), not ${all.length}`);
      }
      return { entry, keys: all.subarray(0, entry.keysBytes), values: all.subarray(entry.keysBytes) };
    }
    case "ipc-sem": {
      const entry = withExtra(schema) as ipc_sem_entry;
      const values = extra(obj, ctx, path, "a list of semaphore values");
      if (!Array.isArray(values)) throw fail(ctx, [...path, "extra"], "a list of semaphore values");
      return {
        entry,
        ...padding(obj, ctx, path),
        values: values.map((v, i) => {
          if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffff) throw fail(ctx, [...path, "extra", i], "a value from 0 to 65535");
          return v;
        }),
      };
    }
    case "ipc-msg": {
      const entry = withExtra(schema) as ipc_msg_entry;
      const flat = extra(obj, ctx, path, "a list alternating messages and their text");
      if (!Array.isArray(flat) || flat.length % 2 !== 0) throw fail(ctx, [...path, "extra"], "a list alternating messages and their text");
      const messages = [];
      for (let i = 0; i < flat.length; i += 2) {
        const msg = readMessage(criuMessageSchema("ipc_msg"), flat[i], ctx, [...path, "extra", i]) as ipc_msg;
        messages.push({ msg, data: base64(flat[i + 1], ctx, [...path, "extra", i + 1], "the message text in base64"), ...padding(flat[i], ctx, [...path, "extra", i]) });
      }
      return { entry, messages };
    }
    case "ipc-shm": {
      const entry = withExtra(schema) as ipc_shm_entry;
      // Segments in pagemaps have no payload (crit 4.2's "extra" there holds the next entries).
      if (entry.inPagemaps) {
        if (obj.extra !== undefined && obj.extra !== "") throw fail(ctx, [...path, "extra"], SHM_IN_PAGEMAPS);
        return { entry, ...padding(obj, ctx, path) };
      }
      return { entry, data: bytesExtra("the segment contents in base64"), ...padding(obj, ctx, path) };
    }
    case "ghost-file": {
      if (index === 0) {
        const entry = readMessage(criuMessageSchema("ghost_file_entry"), obj, ctx, path, ["extra"]) as ghost_file_entry;
        if (entry.chunks || obj.extra === undefined) return { entry };
        const data = bytesExtra("the file contents in base64");
        return data.length > 0 ? { entry, data } : { entry };
      }
      if (!(first as JsonObject | undefined)?.chunks) throw fail(ctx, path, "no entry after the first of a ghost file that is not chunked");
      return { entry: readMessage(criuMessageSchema("ghost_chunk_entry"), obj, ctx, path, ["extra"]), data: bytesExtra("the chunk data in base64") };
    }
  }
}

/** An entry's message; one that carried lossless forms is rebuilt from its exact bytes. */
function readMessage(schema: DescMessage, obj: JsonValue | undefined, ctx: ReadContext, path: Path, allow: readonly string[] = []) {
  const message = readFields(schema, obj, ctx, path, [...allow, "@padding"]);
  try {
    return finishMessage(schema, message);
  } catch (err) {
    // The exact bytes the lossless forms make must be a message the decoder reads (wire-check.ts).
    const why = err instanceof ImageError ? err.expected : err instanceof Error ? err.message : String(err);
    throw fail(ctx, path, `a complete ${schema.typeName} with its "@unknown" records (${why})`);
  }
}

/** Non-zero padding bytes, written by toCritJson as `"@padding"`. */
function padding(obj: JsonValue | undefined, ctx: ReadContext, path: Path): { padding?: Uint8Array } {
  const v = (obj as JsonObject | undefined)?.["@padding"];
  return v === undefined ? {} : { padding: base64(v, ctx, [...path, "@padding"], "padding bytes in base64") };
}

function extra(obj: JsonObject, ctx: ReadContext, path: Path, what: string): JsonValue {
  const v = obj.extra;
  if (v === undefined) throw fail(ctx, [...path, "extra"], what);
  if (typeof v === "string" && v.startsWith("... <")) throw fail(ctx, [...path, "extra"], `${what}; this JSON was written without payloads (--nopl)`);
  return v;
}

function base64(v: JsonValue | undefined, ctx: ReadContext, path: Path, what: string): Uint8Array {
  const bytes = typeof v === "string" ? fromMimeBase64(v) : undefined;
  if (!bytes) throw fail(ctx, path, what);
  return bytes;
}


const textEncoder = new TextEncoder();

/**
 * crit's JSON (text, or its UTF-8 bytes) straight to image bytes: the same bytes and errors as
 * `encodeImage(fromCritJson(text))`. Message images, pagemaps and pipe data are encoded in one
 * pass over the bytes (fused-encode.ts); anything that pass does not cover (lossless forms,
 * other payloads, hand-edited layouts, errors) takes the parsing path.
 */
export function critJsonToImageBytes(json: string | Uint8Array, options: FromCritJsonOptions = {}): Uint8Array {
  const fused = fusedImageBytes(typeof json === "string" ? textEncoder.encode(json) : json);
  if (fused) return fused;
  // Bytes are read as the CLI always has: UTF-8, bad sequences replaced, a leading BOM dropped.
  const text = typeof json === "string" ? json : new TextDecoder("utf-8").decode(json);
  return encodeImage(fromCritJson(text, options), { fileName: options.fileName });
}
