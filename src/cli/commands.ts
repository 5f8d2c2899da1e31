import { decodeImage, imageInfo, isRawImage, type AnyImage, type CriuImage } from "../image/index";
import { rawImageError } from "../image/errors";
import { critJsonToImageBytes } from "../json/from-crit";
import { stringifyJson } from "../json/stringify";
import { imageBytesToCritJsonBytes } from "../json/image-bytes";
import { inputName, readInput, writeOutput } from "./io";

// The commands: read, call the library, print. Output goes out whole or not at all.

/** Decodes an image that has entries; raw images (pages, tmpfs archives, ...) have none. */
async function readImage(input: string | undefined): Promise<CriuImage> {
  const fileName = inputName(input);
  const image: AnyImage = decodeImage(await readInput(input), { fileName: fileName ?? "<stdin>" });
  if (isRawImage(image)) {
    throw rawImageError(image.magic, fileName);
  }
  return image;
}

export async function decode(input: string | undefined, output: string | undefined, pretty: boolean): Promise<void> {
  const json = imageBytesToCritJsonBytes(await readInput(input), { pretty, fileName: inputName(input) ?? "<stdin>" });
  // Like crit: a newline at the end on standard output, none in a file.
  await writeOutput(output, output === undefined || output === "-" ? withNewline(json) : json);
}

function withNewline(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = 0x0a;
  return out;
}

export async function encode(input: string | undefined, output: string | undefined): Promise<void> {
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
