import type { DescMessage } from "@bufbuild/protobuf";
import { ByteReader } from "../../image/bytes";
import { checkFirstEntry, decodeImage, withEntry } from "../../image/decode";
import { ImageError, rawImageError } from "../../image/errors";
import { readHeader } from "../../image/header";
import { decodeMessage, MAX_MESSAGE_SIZE, originalBytes } from "../../image/message";
import { criuMessageSchema, criuRegistry } from "../../schema/registry";
import { messageToJson } from "./render";
import { quote, stringifyJson } from "./stringify";
import { critTree, type CritJsonOptions } from "./to-crit";
import { JsonSink, writeJson } from "./sink";
import { messageWriter } from "./transcode";

export interface ImageBytesToCritJsonOptions extends CritJsonOptions {
  fileName?: string;
}

/**
 * An image's bytes as crit's JSON text: the same text as `toCritJson(decodeImage(bytes))`, and
 * the same errors, but images of plain messages (and pagemaps) go from wire to text without
 * building message objects. Raw images have no entries: an ImageError says so.
 */
export function imageBytesToCritJson(bytes: Uint8Array, options: ImageBytesToCritJsonOptions = {}): string {
  const sink = new JsonSink(sinkSize(bytes, options), options.pretty === true);
  writeCritJson(sink, bytes, options);
  return sink.text();
}

/** The same text as ASCII bytes, ready to be written out. */
export function imageBytesToCritJsonBytes(bytes: Uint8Array, options: ImageBytesToCritJsonOptions = {}): Uint8Array {
  const sink = new JsonSink(sinkSize(bytes, options), options.pretty === true);
  writeCritJson(sink, bytes, options);
  return sink.buf.subarray(0, sink.pos);
}

/**
 * Room for the whole JSON at once, so that the buffer never grows (each doubling copies all of
 * it). Generous on purpose: the pages of a large buffer cost nothing until they are written.
 * Messages take up to ~5 times their size as JSON, ~14 times pretty; payloads 4/3 (base64).
 */
function sinkSize(bytes: Uint8Array, options: ImageBytesToCritJsonOptions): number {
  const factor = options.pretty ? 16 : 6;
  return Math.min(2 ** 31, Math.max(1 << 12, bytes.length * factor));
}

/** Writes the whole document into `sink`. */
function writeCritJson(sink: JsonSink, bytes: Uint8Array, options: ImageBytesToCritJsonOptions): void {
  documentWriter(bytes, options)(sink, Infinity);
}

/**
 * The same text as imageBytesToCritJsonBytes, in chunks of about `chunkSize` bytes (1 MiB by
 * default), all written into one buffer: no fresh memory per output byte, which a large JSON
 * would otherwise pay for in page faults. A chunk is valid only until the next is asked for
 * (write it out first). Errors are thrown where the bad entry is reached, after the chunks
 * before it: for all-or-nothing output, write to a temporary file (as `crit -o` does).
 */
export function* imageBytesToCritJsonChunks(
  bytes: Uint8Array,
  options: ImageBytesToCritJsonOptions & { chunkSize?: number } = {},
): Generator<Uint8Array, void, undefined> {
  const chunk = Math.max(1, options.chunkSize ?? 1 << 20);
  const write = documentWriter(bytes, options);
  // Documents written through objects (pipe data, ghost files ...) come in one piece: their
  // buffer is sized for all of it at once, as imageBytesToCritJsonBytes does.
  const size = write.inOnePiece ? sinkSize(bytes, options) : Math.min(sinkSize(bytes, options), 2 * chunk);
  const sink = new JsonSink(size, options.pretty === true);
  for (;;) {
    const done = write(sink, chunk);
    yield sink.buf.subarray(0, sink.pos);
    if (done) return;
    sink.rewind(0);
  }
}

/**
 * Writes entries of the image's document until the sink holds `upTo` bytes or more; true once
 * the document is complete. The header is checked at once.
 */
type DocumentWriter = ((sink: JsonSink, upTo: number) => boolean) & { inOnePiece?: boolean };

function documentWriter(bytes: Uint8Array, options: ImageBytesToCritJsonOptions): DocumentWriter {
  const r = new ByteReader(bytes, { file: options.fileName });
  const detected = readHeader(r, options.fileName);
  if ("raw" in detected) {
    throw rawImageError(detected.raw, options.fileName);
  }
  const { row } = detected;
  const pretty = options.pretty ?? false;
  if (row.payload !== "entry" && row.payload !== "pagemap") {
    const whole: DocumentWriter = (sink) => {
      writeJson(sink, critTree(decodeImage(bytes, options), options), pretty);
      return true;
    };
    whole.inOnePiece = true;
    return whole;
  }
  const schema = criuRegistry.getMessage(row.message) as DescMessage;
  const entry = entryWriter(row.payload === "pagemap" ? criuMessageSchema("pagemap_entry") : schema, pretty);
  const head = row.payload === "pagemap" ? entryWriter(criuMessageSchema("pagemap_head"), pretty) : entry;
  let count = -1;
  return (sink, upTo) => {
    if (count < 0) {
      openDocument(sink, row.name, pretty);
      count = 0;
    }
    while (!r.atEnd) {
      beforeEntry(sink, count, pretty);
      try {
        (count === 0 ? head : entry)(sink, r);
      } catch (err) {
        throw err instanceof ImageError && err.entry === undefined ? withEntry(err, count, r.file) : err;
      }
      count++;
      if (sink.pos >= upTo) return false;
    }
    checkFirstEntry(row, count, r);
    closeDocument(sink, count, pretty);
    return true;
  };
}

// The frame of crit's document, as stringifyJson lays it out: `{"magic": ..., "entries": [`,
// the entries (at level 2), `]}`.

export function openDocument(sink: JsonSink, magic: string, pretty: boolean): void {
  sink.ascii(pretty ? `{\n    "magic": ${quote(magic)},\n    "entries": [` : `{"magic": ${quote(magic)}, "entries": [`);
}

export function beforeEntry(sink: JsonSink, index: number, pretty: boolean): void {
  if (index > 0) sink.ascii(pretty ? "," : ", ");
  if (pretty) sink.ascii("\n        ");
}

export function closeDocument(sink: JsonSink, count: number, pretty: boolean): void {
  sink.ascii(pretty ? (count > 0 ? "\n    ]\n}" : "]\n}") : "]}");
}

/** Writes one `u32 size ‖ message` entry as JSON, by the fast path or else the object path. */
function entryWriter(schema: DescMessage, pretty: boolean): (sink: JsonSink, r: ByteReader) => void {
  const write = messageWriter(schema, pretty);
  return (sink, r) => {
    const start = r.offset;
    // Error texts only on the way to an error: this runs once per entry.
    const size = r.remaining >= 4 ? r.u32Unchecked() : r.u32(`the length of a ${schema.typeName} entry`);
    if (size > MAX_MESSAGE_SIZE) {
      throw r.error("length-too-large", `a ${schema.typeName} entry of at most ${MAX_MESSAGE_SIZE} bytes, not ${size}`, start);
    }
    if (size > r.remaining) r.require(size, `a ${schema.typeName} message of ${size} bytes`);
    if (write(sink, r.bytes, r.pos, r.pos + size, 2)) {
      r.pos += size;
      return;
    }
    const message = decodeMessage(schema, r.take(size, "a message"), r, start + 4);
    sink.ascii(stringifyJson(messageToJson(schema, message, { pretty }, false, originalBytes(message)), pretty, 2));
  };
}
