import { isRawImage, type AnyImage } from "./entries";

/** What `crit info` prints: the image type and its number of entries. */
export interface ImageInfo {
  magic: string;
  count: number;
}

/**
 * The number of entries of an image, payloads not counted as entries (crit 4.2 counts every
 * length-prefixed record it meets, payload bytes included). A pagemap's head is not counted,
 * as in crit; a ghost file counts its file entry and its chunks.
 */
export function imageInfo(image: AnyImage): ImageInfo {
  if (isRawImage(image)) return { magic: image.magic, count: 0 };
  return countedInfo(image.magic, image.entries.length);
}

/** imageInfo from entries counted elsewhere (over a stream): `entries` as decodeImage gives them. */
export function countedInfo(magic: string, entries: number): ImageInfo {
  return { magic, count: magic === "PAGEMAP" ? Math.max(0, entries - 1) : entries };
}
