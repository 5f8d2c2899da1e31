import { ByteWriter } from "./bytes";
import { isRawImage, type AnyImage } from "./entries";
import { ImageError } from "./errors";
import { writeHeader } from "./header";
import { imageRowByName, type ImageRow } from "./magic-table";
import { codecFor, firstEntryExpected, needsFirstEntry, withEntry } from "./decode";
import type { EntryCodec } from "./payloads/index";

export interface EncodeOptions {
  /** The image's file name, for error messages. */
  fileName?: string;
}

/** Encodes an image to bytes: header, then each entry with its payload. */
export function encodeImage(image: AnyImage, options: EncodeOptions = {}): Uint8Array {
  if (isRawImage(image)) return image.raw.slice();
  const row = imageRow(image.magic, options.fileName);
  const w = new ByteWriter();
  writeHeader(w, row, image.header ?? row.header);
  const codec = codecFor(row);
  const entries = image.entries as unknown[];
  // What the decoder refuses is not written either.
  if (entries.length === 0 && needsFirstEntry(row)) throw new ImageError({ kind: "bad-entry", file: options.fileName, expected: firstEntryExpected(row) });
  entries.forEach((entry, index) => writeEntry(codec, w, entry, index, entries[0], options.fileName));
  return w.take();
}

export function imageRow(magic: string, fileName?: string): ImageRow {
  const row = imageRowByName(magic);
  if (!row) throw new ImageError({ kind: "bad-magic", file: fileName, expected: `a known image type, not ${magic}` });
  return row;
}

/** Writes one entry; errors get the entry's index and the file name. */
export function writeEntry(
  codec: EntryCodec<unknown>,
  w: ByteWriter,
  entry: unknown,
  index: number,
  first: unknown,
  fileName?: string,
): void {
  try {
    codec.write(w, entry, index, first);
  } catch (err) {
    if (err instanceof ImageError) throw withEntry(err, index, fileName);
    throw new ImageError({ kind: "bad-entry", file: fileName, entry: index, expected: "an entry of the image's type", cause: err });
  }
}
