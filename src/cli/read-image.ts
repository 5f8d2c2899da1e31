import { rawImageError } from "../image/errors";
import { isRawImageStream, openImageStream, type AnyImageStream } from "../image/stream";
import { CliError } from "./errors";
import type { Input } from "./input";

// How the image commands read their input: a small regular file whole (the fast paths), anything
// else (a large file, standard input, a FIFO, a device) as a stream whose magic is checked after
// its first bytes, before more is read: /dev/zero or a wrong file fails at once.

/** Regular files up to this size are read whole; larger ones, and all other inputs, streamed. */
export const STREAM_FROM_BYTES = 32 << 20;

export function readsWhole(input: Input): boolean {
  return input.size !== undefined && input.size <= STREAM_FROM_BYTES;
}

/** The name the codec reports and recognises raw images by. */
export function codecName(input: Input): string {
  return input.fileName ?? "<stdin>";
}

/** Opens an image stream over the input; entries are read into one reused buffer. */
export async function openImageInput(input: Input): Promise<AnyImageStream> {
  refuseTerminal(input);
  return openImageStream(input.source, { fileName: codecName(input), reuseBuffers: true });
}

/** Like openImageInput, for commands that need entries: a raw image is an error. */
export async function openEntryStream(input: Input) {
  const stream = await openImageInput(input);
  if (!isRawImageStream(stream)) return stream;
  await stream.close();
  throw rawImageError(stream.magic, codecName(input));
}

/** Images are binary: never read one from a terminal (the user forgot `-i` or a pipe). */
export function refuseTerminal(input: Input): void {
  if (input.terminal) throw new CliError(`${input.name}: is a terminal; give the image with -i FILE or through a pipe`);
}

/**
 * Runs `work` over an input; an error that does not say which input it is about (a library's
 * plain Error) gets the input's name in front.
 */
export async function aboutInput<T>(input: Input, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof CliError || !(err instanceof Error)) throw err;
    if (err.message.startsWith(input.name)) throw err;
    // The codec knows the base name only (it recognises raw images by it): give the path.
    const codec = codecName(input);
    const rest = err.message.startsWith(codec) ? err.message.slice(codec.length) : `: ${err.message}`;
    throw new CliError(`${input.name}${rest}`);
  } finally {
    await input.source.close();
  }
}
