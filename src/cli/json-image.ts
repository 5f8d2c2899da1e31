import { randomBytes } from "node:crypto";
import { readFile, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReadIntoSource } from "../image/stream";
import { critJsonToImageBytes } from "../json/to-image/from-crit";
import { fusedImageChunks, NotFusable } from "../json/to-image/fused-encode";
import { asBytes, openReadIntoFile } from "../node/files";
import { release, removeOnSignal } from "./cleanup";
import { openInput } from "./input";
import { openOutput, writeOutput } from "./output";
import { aboutInput, codecName, readsWhole, STREAM_FROM_BYTES } from "./read-image";

// `crit encode`: crit's JSON to an image. A small document is read whole and encoded at once. A
// large one (or one of unknown size past STREAM_FROM_BYTES: standard input, a FIFO) is encoded
// while it is read by the one-pass encoder, which may give up half-way on a form it does not
// cover (NotFusable): the image is then made again from the whole document. So that the output
// never holds such a half, the one-pass image goes to the output's temporary file, or for a
// target written in place (stdout, a FIFO) to a temporary file first; and a document from a
// stream is spooled to a temporary file, so that it can be read a second time.

export async function jsonToImage(inputPath: string | undefined, outputPath: string | undefined, quiet: boolean): Promise<void> {
  const input = await openInput(inputPath, { quiet });
  const fileName = codecName(input);
  const encodeWhole = (json: Uint8Array) => writeOutput(outputPath, critJsonToImageBytes(json, { fileName }));
  await aboutInput(input, async () => {
    if (readsWhole(input) || input.terminal) return encodeWhole(await input.readAll());
    if (input.size !== undefined) return encodeLarge(input.source, inputPath!, outputPath, encodeWhole);
    const head = await readUpTo(input.source, STREAM_FROM_BYTES);
    if (head.length < STREAM_FROM_BYTES) return encodeWhole(head);
    const spool = temporaryPath("json");
    try {
      await writeOutput(spool, prepend(head, input.source));
      const again = await openReadIntoFile(spool);
      try {
        await encodeLarge(again, spool, outputPath, encodeWhole);
      } finally {
        await again.close();
      }
    } finally {
      await unlink(spool).catch(() => undefined);
      release(spool);
    }
  });
}

async function encodeLarge(source: ReadIntoSource, jsonFile: string, outputPath: string | undefined, encodeWhole: (json: Uint8Array) => Promise<void>): Promise<void> {
  try {
    return await writeOnePass(source, outputPath);
  } catch (err) {
    if (!(err instanceof NotFusable)) throw err;
  }
  await encodeWhole(asBytes(await readFile(jsonFile)));
}

async function writeOnePass(source: ReadIntoSource, outputPath: string | undefined): Promise<void> {
  const output = await openOutput(outputPath);
  if (output.atomic) {
    try {
      for await (const chunk of fusedImageChunks(source, undefined, { reuseBuffers: true })) await output.write(chunk);
      return await output.commit();
    } catch (err) {
      await output.abort();
      throw err;
    }
  }
  const staged = temporaryPath("img");
  try {
    await writeOutput(staged, fusedImageChunks(source, undefined, { reuseBuffers: true }));
    const image = await openReadIntoFile(staged);
    try {
      await copy(image, output);
      await output.commit();
    } finally {
      await image.close();
    }
  } catch (err) {
    await output.abort();
    throw err;
  } finally {
    await unlink(staged).catch(() => undefined);
    release(staged);
  }
}

function temporaryPath(suffix: string): string {
  const path = join(tmpdir(), `crit-${process.pid}-${randomBytes(6).toString("hex")}.${suffix}`);
  removeOnSignal(path);
  return path;
}

async function copy(source: ReadIntoSource, output: { write(chunk: Uint8Array): Promise<void> }): Promise<void> {
  const buf = new Uint8Array(1 << 20);
  for (let n = await source.readInto(buf); n > 0; n = await source.readInto(buf)) await output.write(buf.subarray(0, n));
}

/** Reads until `limit` bytes or the end, whichever comes first. */
async function readUpTo(source: ReadIntoSource, limit: number): Promise<Uint8Array> {
  const buf = new Uint8Array(limit);
  let filled = 0;
  while (filled < limit) {
    const n = await source.readInto(buf.subarray(filled));
    if (n === 0) break;
    filled += n;
  }
  return buf.subarray(0, filled);
}

async function* prepend(head: Uint8Array, rest: ReadIntoSource): AsyncGenerator<Uint8Array> {
  yield head;
  const buf = new Uint8Array(1 << 20);
  for (let n = await rest.readInto(buf); n > 0; n = await rest.readInto(buf)) yield buf.subarray(0, n);
}


