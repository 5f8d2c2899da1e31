import { decodeImage, imageInfo } from "../image/index";
import { rawImageError } from "../image/errors";
import { critJsonToImageBytes } from "../json/from-crit";
import { stringifyJson } from "../json/stringify";
import { imageBytesToCritJsonBytes } from "../json/image-bytes";
import { isRawImageStream } from "../image/stream";
import { critJsonChunks } from "../json/stream-json";
import { fusedImageChunks, NotFusable } from "../json/fused-encode";
import { openImageFileStream, openReadIntoFile } from "../node/files";
import { inputName, inputSize, readInput, STREAM_FROM_BYTES, writeOutput } from "./io";

// The commands: read, call the library, print. Output goes out whole or not at all.

export async function decode(input: string | undefined, output: string | undefined, pretty: boolean): Promise<void> {
  // Like crit: a newline at the end on standard output, none in a file.
  const toStdout = output === undefined || output === "-";
  if ((inputSize(input) ?? 0) > STREAM_FROM_BYTES) {
    // A large file (payloads: pipe data, ghost files...) is read and written entry by entry.
    // Each entry, and each chunk of JSON, is written out before the next is read: one buffer
    // of each serves them all, so memory stays flat whatever the size.
    const stream = await openImageFileStream(input!, { reuseBuffers: true });
    if (isRawImageStream(stream)) {
      await stream.close();
      throw rawImageError(stream.magic, inputName(input));
    }
    const chunks = critJsonChunks(stream, { pretty, reuseBuffers: true });
    return writeOutput(output, toStdout ? withTrailingNewline(chunks) : chunks);
  }
  const json = imageBytesToCritJsonBytes(await readInput(input), { pretty, fileName: inputName(input) ?? "<stdin>" });
  await writeOutput(output, toStdout ? withNewline(json) : json);
}

async function* withTrailingNewline(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
  yield new Uint8Array([0x0a]);
}

function withNewline(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = 0x0a;
  return out;
}

export async function encode(input: string | undefined, output: string | undefined): Promise<void> {
  if ((inputSize(input) ?? 0) > STREAM_FROM_BYTES && output !== undefined && output !== "-") {
    // A large file to a file: read and written entry by entry when the one-pass encoder takes
    // it (the temporary file is dropped if it does not, and the whole document is read).
    const source = await openReadIntoFile(input!);
    try {
      return await writeOutput(output, fusedImageChunks(source));
    } catch (err) {
      if (!(err instanceof NotFusable)) throw err;
    } finally {
      await source.close();
    }
  }
  const bytes = await readInput(input);
  await writeOutput(output, critJsonToImageBytes(bytes, { fileName: inputName(input) ?? "<stdin>" }));
}

export async function show(input: string, noPayload: boolean): Promise<void> {
  const json = imageBytesToCritJsonBytes(await readInput(input), { pretty: true, noPayload, fileName: inputName(input) });
  await writeOutput(undefined, withNewline(json));
}

export async function info(input: string): Promise<void> {
  const image = decodeImage(await readInput(input), { fileName: inputName(input) });
  const { magic, count } = imageInfo(image);
  await writeOutput(undefined, `${stringifyJson({ magic, count }, true)}\n`);
}
