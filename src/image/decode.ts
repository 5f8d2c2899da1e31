import type { DescMessage } from "@bufbuild/protobuf";
import { criuRegistry } from "../schema/registry";
import { ByteReader } from "./bytes";
import type { AnyImage, CriuImage } from "./entries";
import { ImageError } from "./errors";
import { readHeader } from "./header";
import type { ImageMagic, ImageRow } from "./magic-table";
import { entryCodec, type EntryCodec } from "./payloads/index";

export interface DecodeOptions {
  /** The image's file name: used in errors, and to recognise raw images (which have no magic). */
  fileName?: string;
}

/** Decodes an image that must be of type `expect`, typed accordingly. */
export function decodeImage<M extends ImageMagic>(bytes: Uint8Array, options: DecodeOptions & { expect: M }): CriuImage<M>;
/**
 * Decodes a whole image: the header, then every entry with its payload.
 * Throws ImageError (with the file name, byte offset and what was expected) on bad input.
 */
export function decodeImage(bytes: Uint8Array, options?: DecodeOptions): AnyImage;
export function decodeImage(bytes: Uint8Array, options: DecodeOptions & { expect?: ImageMagic } = {}): unknown {
  const r = new ByteReader(bytes, { file: options.fileName });
  const detected = readHeader(r, options.fileName);
  if ("raw" in detected) {
    if (options.expect) throw r.error("bad-magic", `a ${options.expect} image, not a raw ${detected.raw} image`, 0);
    return { magic: detected.raw, raw: r.bytes };
  }
  const { row, header } = detected;
  if (options.expect && options.expect !== row.name) {
    throw r.error("bad-magic", `a ${options.expect} image, not ${row.name}`, r.offset - 4);
  }
  const codec = codecFor(row);
  const entries: unknown[] = [];
  while (!r.atEnd) entries.push(readEntry(codec, r, entries.length, entries[0]));
  checkFirstEntry(row, entries.length, r);
  return { magic: row.name, header, entries } as AnyImage;
}

export function codecFor(row: ImageRow): EntryCodec<unknown> {
  return entryCodec(row.payload, messageSchema(row.message));
}

function messageSchema(name: string): DescMessage {
  const schema = criuRegistry.getMessage(name);
  if (!schema) throw new Error(`magic table names an unknown message ${name}`);
  return schema;
}

/** Reads one entry; errors get the entry's index. */
export function readEntry(codec: EntryCodec<unknown>, r: ByteReader, index: number, first: unknown): unknown {
  try {
    return codec.read(r, index, first);
  } catch (err) {
    throw err instanceof ImageError && err.entry === undefined ? withEntry(err, index, r.file) : err;
  }
}

/** Pagemaps and ghost files start with an entry that must be there. */
export function checkFirstEntry(row: ImageRow, count: number, r: ByteReader): void {
  if (count === 0 && needsFirstEntry(row)) throw r.error("truncated", firstEntryExpected(row));
}

export function needsFirstEntry(row: ImageRow): boolean {
  return row.payload === "pagemap" || row.payload === "ghost-file";
}

export function firstEntryExpected(row: ImageRow): string {
  return `a ${row.payload === "pagemap" ? "pagemap_head" : row.message} as the first entry of a ${row.name} image`;
}

export function withEntry(err: ImageError, entry: number, file: string | undefined): ImageError {
  return new ImageError({
    kind: err.kind,
    file: err.file ?? file,
    offset: err.offset,
    entry,
    expected: err.expected,
    cause: (err as { cause?: unknown }).cause,
  });
}
