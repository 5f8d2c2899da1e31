import type { ByteReader, ByteWriter } from "./bytes";
import { IMG_COMMON, IMG_SERVICE, imageRowByValue, rawMagicForFile, type HeaderKind, type ImageRow, type RawMagic } from "./magic-table";

export type Detected = { row: ImageRow; header: HeaderKind } | { raw: RawMagic };

const hex = (v: number) => `0x${v.toString(16).padStart(8, "0")}`;

/**
 * Reads the magic at the start of an image: IMG_COMMON or IMG_SERVICE then the image magic, or
 * the image magic alone (inventory.img, and every image of the old v1.0 layout). Raw images have
 * no magic, so they are known by file name only, and only when no known header is there.
 */
export function readHeader(r: ByteReader, fileName?: string): Detected {
  const raw = fileName === undefined ? undefined : rawMagicForFile(fileName);
  if (raw && r.final && r.remaining < 8) return { raw };
  const first = r.u32("an image magic");
  if (first === IMG_COMMON || first === IMG_SERVICE) {
    if (raw && r.final && r.remaining < 4) return { raw };
    const second = r.u32(`an image magic after ${first === IMG_COMMON ? "IMG_COMMON" : "IMG_SERVICE"}`);
    const row = imageRowByValue(second);
    if (row) return { row, header: first === IMG_COMMON ? "common" : "service" };
    if (raw) return { raw };
    throw r.error("bad-magic", `a known image magic after the header word, not ${hex(second)}`, r.offset - 4);
  }
  if (raw) return { raw };
  const row = imageRowByValue(first);
  if (row) return { row, header: "none" };
  throw r.error("bad-magic", `IMG_COMMON, IMG_SERVICE or a known image magic, not ${hex(first)}${rawHint(fileName)}`, r.offset - 4);
}

function rawHint(fileName: string | undefined): string {
  return fileName === undefined ? " (raw images such as pages-N.img are recognised by file name: pass fileName)" : "";
}

/** Writes the header word (if any) and the magic. */
export function writeHeader(w: ByteWriter, row: ImageRow, header: HeaderKind): void {
  if (header === "common") w.u32(IMG_COMMON);
  else if (header === "service") w.u32(IMG_SERVICE);
  w.u32(row.value);
}
