import type { CriuImageStream } from "../image/stream";
import { imageRowByName } from "../image/magic-table";
import { beforeEntry, closeDocument, openDocument } from "./image-bytes";
import { JsonSink, writeJson } from "./sink";
import { entryToJson, type CritJsonOptions } from "./to-crit";

/** Output is handed over in pieces of about this many bytes. */
const CHUNK = 1 << 20;

/**
 * crit's JSON of an image being streamed (openImageStream), as chunks of ASCII bytes: the same
 * bytes as toCritJson gives for the whole image, concatenated, with only about one entry and
 * one chunk in memory at a time. For images of any size, including those whose JSON is longer
 * than a JavaScript string can be (a 1 GiB pipes-data image gives ~1.4 GB of JSON). Errors are
 * the stream's, thrown where the bad entry is reached.
 */
export async function* critJsonChunks(stream: CriuImageStream, options: CritJsonOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const pretty = options.pretty ?? false;
  const row = imageRowByName(stream.magic)!;
  const render = { pretty };
  const sink = new JsonSink(2 * CHUNK);
  openDocument(sink, stream.magic, pretty);
  let count = 0;
  for await (const entry of stream.entries) {
    beforeEntry(sink, count, pretty);
    writeJson(sink, entryToJson(row, entry, count, render, options.noPayload ?? false), pretty, 2);
    count++;
    if (sink.pos >= CHUNK) yield sink.take();
  }
  closeDocument(sink, count, pretty);
  yield sink.take();
}
