import { imageBytesToCritJsonBytes, imageBytesToCritJsonChunks } from "../json/from-image/image-bytes";
import { critJsonChunks } from "../json/from-image/stream-json";
import { openInput } from "./input";
import { openOutput } from "./output";
import { aboutInput, codecName, openEntryStream, readsWhole } from "./read-image";

export interface ImageJsonOptions {
  pretty: boolean;
  noPayload: boolean;
  quiet: boolean;
}

/**
 * An image as crit's JSON (`decode`, `show`). Like crit: a newline at the end on standard output,
 * none in a file. The output is opened only once the input's magic has been read: a wrong input
 * leaves an existing output file alone.
 */
export async function imageToJson(inputPath: string | undefined, outputPath: string | undefined, options: ImageJsonOptions): Promise<void> {
  const input = await openInput(inputPath, { quiet: options.quiet });
  const newline = outputPath === undefined || outputPath === "-";
  const json = { pretty: options.pretty, noPayload: options.noPayload, fileName: codecName(input) };
  await aboutInput(input, async () => {
    if (readsWhole(input)) {
      const bytes = await input.readAll();
      // Standard output gets a small image's JSON whole or not at all. `-o` gets it in chunks
      // of one reused buffer (no page faults for a fresh buffer as large as the JSON); a file
      // is still all or nothing, being renamed into place only once complete.
      if (newline) return writeAll(outputPath, [imageBytesToCritJsonBytes(bytes, json), NEWLINE]);
      return writeAll(outputPath, imageBytesToCritJsonChunks(bytes, json));
    }
    // Entry by entry, one reused buffer for the entries and one for the JSON: flat memory.
    const stream = await openEntryStream(input);
    const chunks = critJsonChunks(stream, { ...json, reuseBuffers: true });
    return writeAll(outputPath, newline ? withNewline(chunks) : chunks);
  });
}

const NEWLINE = new Uint8Array([0x0a]);

async function* withNewline(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
  yield NEWLINE;
}

async function writeAll(path: string | undefined, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  // Pull the first chunk before opening the output: most bad inputs fail on it.
  const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]()) as AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  let next = await iterator.next();
  const output = await openOutput(path);
  try {
    for (; !next.done; next = await iterator.next()) await output.write(next.value);
    await output.commit();
  } catch (err) {
    await output.abort();
    throw err;
  }
}
