import type { DescMessage } from "@bufbuild/protobuf";
import { ByteReader } from "../image/bytes";
import { checkFirstEntry, decodeImage, withEntry } from "../image/decode";
import { ImageError } from "../image/errors";
import { readHeader } from "../image/header";
import { decodeMessage, MAX_MESSAGE_SIZE, originalBytes } from "../image/message";
import { criuRegistry } from "../schema/registry";
import { pagemap_entrySchema, pagemap_headSchema } from "../schema/all";
import { messageToJson } from "./render";
import { quote, stringifyJson } from "./stringify";
import { toCritJson, type CritJsonOptions } from "./to-crit";
import { messageTranscoder } from "./transcode";

export interface ImageBytesToCritJsonOptions extends CritJsonOptions {
  fileName?: string;
}

/**
 * An image's bytes as crit's JSON text: the same text as `toCritJson(decodeImage(bytes))`, and
 * the same errors, but images of plain messages (and pagemaps) go from wire to text without
 * building message objects. Raw images have no entries: an ImageError says so.
 */
export function imageBytesToCritJson(bytes: Uint8Array, options: ImageBytesToCritJsonOptions = {}): string {
  const r = new ByteReader(bytes, { file: options.fileName });
  const detected = readHeader(r, options.fileName);
  if ("raw" in detected) {
    throw new ImageError({ kind: "bad-magic", file: options.fileName, offset: 0, expected: `an image with entries; this is raw ${detected.raw} data, which has none` });
  }
  const { row } = detected;
  if (row.payload !== "entry" && row.payload !== "pagemap") return toCritJson(decodeImage(bytes, options), options);
  const pretty = options.pretty ?? false;
  const schema = criuRegistry.getMessage(row.message) as DescMessage;
  const texts: string[] = [];
  const entryCoder = entryTranscoder(row.payload === "pagemap" ? pagemap_entrySchema : schema, pretty);
  const headCoder = row.payload === "pagemap" ? entryTranscoder(pagemap_headSchema, pretty) : entryCoder;
  while (!r.atEnd) {
    const index = texts.length;
    try {
      texts.push((index === 0 ? headCoder : entryCoder)(r));
    } catch (err) {
      throw err instanceof ImageError && err.entry === undefined ? withEntry(err, index, r.file) : err;
    }
  }
  checkFirstEntry(row, texts.length, r);
  if (!pretty) return `{"magic": ${quote(row.name)}, "entries": [${texts.join(", ")}]}`;
  if (texts.length === 0) return `{\n    "magic": ${quote(row.name)},\n    "entries": []\n}`;
  return `{\n    "magic": ${quote(row.name)},\n    "entries": [\n        ${texts.join(",\n        ")}\n    ]\n}`;
}

/** Reads one `u32 size ‖ message` entry as JSON text, by the fast path or else the object path. */
function entryTranscoder(schema: DescMessage, pretty: boolean): (r: ByteReader) => string {
  const transcode = messageTranscoder(schema, pretty);
  return (r) => {
    const start = r.offset;
    const size = r.u32(`the length of a ${schema.typeName} entry`);
    if (size > MAX_MESSAGE_SIZE) {
      throw r.error("length-too-large", `a ${schema.typeName} entry of at most ${MAX_MESSAGE_SIZE} bytes, not ${size}`, start);
    }
    r.require(size, `a ${schema.typeName} message of ${size} bytes`);
    const fast = transcode(r.bytes, r.pos, r.pos + size, 2);
    if (fast !== undefined) {
      r.pos += size;
      return fast;
    }
    const message = decodeMessage(schema, r.take(size, "a message"), r, start + 4);
    return stringifyJson(messageToJson(schema, message, { pretty }, false, originalBytes(message)), pretty, 2);
  };
}
