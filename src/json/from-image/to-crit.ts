import type { DescMessage, Message } from "@bufbuild/protobuf";
import { toBinary } from "@bufbuild/protobuf";
import { criuMessageSchema, criuRegistry } from "../../schema/registry";
import type { AnyImage, BpfmapDataEntry, GhostChunk, GhostFileHead, IpcMsgEntry, IpcSemEntry, IpcShmEntry, PipeDataEntry, SkQueueEntry, TcpStreamEntry } from "../../image/entries";
import { isRawImage } from "../../image/entries";
import { concatBytes } from "../../image/bytes";
import { rawImageError } from "../../image/errors";
import { imageRowByName, type ImageRow } from "../../image/magic-table";
import { originalBytes } from "../../image/message";
import { toMimeBase64 } from "../base64";
import { humanSize } from "./pretty";
import { messageToJson, type RenderOptions } from "./render";
import { stringifyJson } from "./stringify";
import { JsonBytes, type JsonObject, type JsonValue } from "../value";

export interface CritJsonOptions {
  /** `decode --pretty`: indent 4 and the (criu) options applied. */
  pretty?: boolean;
  /** `show --nopl`: payloads replaced by their size ("... <512B>"); ghost files get none. */
  noPayload?: boolean;
}

/** An image as crit's JSON text (no trailing newline, as `crit decode -o FILE` writes it). */
export function toCritJson(image: AnyImage, options: CritJsonOptions = {}): string {
  return stringifyJson(critTree(image, options), options.pretty ?? false);
}

/** An image as crit's JSON document: `{"magic": NAME, "entries": [...]}`. */
export function toCritValue(image: AnyImage, options: CritJsonOptions = {}): JsonObject {
  return bytesAsBase64(critTree(image, options)) as JsonObject;
}

/**
 * The document with payloads still as bytes (JsonBytes), so that writers can put their base64
 * straight into the output instead of making a string of it first.
 */
export function critTree(image: AnyImage, options: CritJsonOptions = {}): JsonObject {
  if (isRawImage(image)) throw rawImageError(image.magic, undefined);
  const row = imageRowByName(image.magic)!;
  const render: RenderOptions = { pretty: options.pretty ?? false };
  const entries = (image.entries as unknown[]).map((entry, i) => entryToJson(row, entry, i, render, options.noPayload ?? false));
  return { magic: image.magic, entries };
}

function schemaOf(name: string): DescMessage {
  return criuRegistry.getMessage(name)!;
}

/** One entry as crit's JSON object (payloads as JsonBytes). */
export function entryToJson(row: ImageRow, entry: unknown, index: number, render: RenderOptions, nopl: boolean): JsonObject {
  const msg = (schema: DescMessage, m: unknown) => messageToJson(schema, m as Message, render, false, originalBytes(m as Message));
  const withExtra = (obj: JsonObject, extra: JsonValue, size: number | bigint) => {
    obj.extra = nopl ? `... <${humanSize(size)}>` : extra;
    return obj;
  };
  switch (row.payload) {
    case "entry":
      return msg(schemaOf(row.message), entry);
    case "pagemap":
      return index === 0 ? msg(criuMessageSchema("pagemap_head"), entry) : msg(criuMessageSchema("pagemap_entry"), entry);
    case "pipes-data":
    case "sk-queues": {
      const e = entry as PipeDataEntry | SkQueueEntry;
      return withExtra(msg(schemaOf(row.message), e.entry), b64(e.data), e.data.length);
    }
    case "tcp-stream": {
      const e = entry as TcpStreamEntry;
      const extra = { inq: b64(e.inq), outq: b64(e.outq) };
      return withExtra(msg(schemaOf(row.message), e.entry), extra, e.inq.length + e.outq.length);
    }
    case "bpfmap-data": {
      const e = entry as BpfmapDataEntry;
      const all = concatBytes([e.keys, e.values]);
      return withExtra(msg(schemaOf(row.message), e.entry), b64(all), all.length);
    }
    case "ipc-sem": {
      const e = entry as IpcSemEntry;
      return withExtra(withPadding(msg(schemaOf(row.message), e.entry), e.padding), e.values, e.values.length * 2);
    }
    case "ipc-msg": {
      const e = entry as IpcMsgEntry;
      const extra: JsonValue[] = [];
      let size = 0;
      for (const m of e.messages) {
        extra.push(withPadding(msg(criuMessageSchema("ipc_msg"), m.msg), m.padding), b64(m.data));
        size += toBinary(criuMessageSchema("ipc_msg"), m.msg).length + m.data.length;
      }
      return withExtra(msg(schemaOf(row.message), e.entry), extra, size);
    }
    case "ipc-shm": {
      // Segments kept in pagemaps (CRIU ≥ 3.0) have no payload, so no "extra"; crit 4.2 wrongly
      // reads `size` bytes of the following entries there.
      const e = entry as IpcShmEntry;
      const obj = withPadding(msg(schemaOf(row.message), e.entry), e.padding);
      if (e.entry.inPagemaps && e.data === undefined) return obj;
      const data = e.data ?? new Uint8Array(0);
      return withExtra(obj, b64(data), data.length);
    }
    case "ghost-file": {
      if (index === 0) {
        const e = entry as GhostFileHead;
        const obj = msg(criuMessageSchema("ghost_file_entry"), e.entry);
        if (!e.entry.chunks && !nopl) obj.extra = b64(e.data ?? new Uint8Array(0));
        return obj;
      }
      const e = entry as GhostChunk;
      const obj = msg(criuMessageSchema("ghost_chunk_entry"), e.entry);
      if (!nopl) obj.extra = b64(e.data);
      return obj;
    }
  }
}

/** Padding bytes that were not zeros (crit's JSON has no place for them): `"@padding"`. */
function withPadding(obj: JsonObject, padding: Uint8Array | undefined): JsonObject {
  if (padding) obj["@padding"] = toMimeBase64(padding);
  return obj;
}

/** Payload bytes in the tree, written as crit's MIME base64 string. */
function b64(bytes: Uint8Array): JsonValue {
  return new JsonBytes(bytes) as unknown as JsonValue;
}

function bytesAsBase64(v: JsonValue): JsonValue {
  if (v instanceof JsonBytes) return toMimeBase64(v.bytes);
  if (Array.isArray(v)) return v.map(bytesAsBase64);
  if (typeof v === "object" && v !== null && typeof v !== "bigint") {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) out[k] = bytesAsBase64(v[k]!);
    return out;
  }
  return v;
}

