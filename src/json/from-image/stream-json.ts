import type { CriuImageStream } from "../../image/stream";
import { imageRowByName } from "../../image/magic-table";
import { beforeEntry, closeDocument, openDocument } from "./image-bytes";
import { JsonSink, writeJson } from "./sink";
import { entryToJson, type CritJsonOptions } from "./to-crit";

/** critJsonChunks' options. */
export interface CritJsonChunksOptions extends CritJsonOptions {
  /** Hand output over once about this many bytes are ready (default 1 MiB). */
  chunkSize?: number;
  /**
   * Write every chunk into one buffer, reused: no dropped chunk waits for the garbage collector.
   * A chunk is then valid only until the next one is asked for (write it out first, as
   * `for await (const c of chunks) await handle.write(c)` does). Combine with the stream's own
   * `reuseBuffers` to decode images of any size in a few MiB.
   */
  reuseBuffers?: boolean;
}

/**
 * crit's JSON of an image being streamed (openImageStream), as chunks of ASCII bytes: the same
 * bytes as toCritJson gives for the whole image, concatenated, with only about one entry and
 * one chunk in memory at a time. For images of any size, including those whose JSON is longer
 * than a JavaScript string can be (a 1 GiB pipes-data image gives ~1.4 GB of JSON). Errors are
 * the stream's, thrown where the bad entry is reached.
 */
export async function* critJsonChunks(stream: CriuImageStream, options: CritJsonChunksOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const pretty = options.pretty ?? false;
  const chunk = Math.max(1, options.chunkSize ?? 1 << 20);
  const take = options.reuseBuffers ? () => sink.takeView() : () => sink.take();
  const row = imageRowByName(stream.magic)!;
  const render = { pretty };
  const sink = new JsonSink(Math.min(2 * chunk, 4 << 20));
  openDocument(sink, stream.magic, pretty);
  let count = 0;
  for await (const entry of stream.entries) {
    beforeEntry(sink, count, pretty);
    writeJson(sink, entryToJson(row, entry, count, render, options.noPayload ?? false), pretty, 2);
    count++;
    if (sink.pos >= chunk) yield take();
  }
  closeDocument(sink, count, pretty);
  yield take();
}
