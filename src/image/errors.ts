/** What went wrong while reading or writing an image. */
export type ImageErrorKind =
  | "bad-magic" // the header is not a known CRIU magic
  | "truncated" // the data ends inside a header, length word, message or payload
  | "length-too-large" // a length word or size field claims more bytes than the data can hold
  | "bad-message" // the bytes of an entry are not a valid protobuf message of its type
  | "bad-payload" // the raw data after an entry does not fit what the entry announces
  | "bad-entry"; // encoding: an entry lacks required fields or has the wrong shape

export interface ImageErrorDetails {
  kind: ImageErrorKind;
  /** The image's file name, when known. */
  file?: string | undefined;
  /** Byte offset in the image where the problem starts. */
  offset?: number | undefined;
  /** Index of the entry concerned, when known. */
  entry?: number | undefined;
  /** What the reader or writer expected to find. */
  expected: string;
  cause?: unknown;
}

/** The one error type of the image codec: a kind, where, and what was expected. */
export class ImageError extends Error {
  override readonly name = "ImageError";
  readonly kind: ImageErrorKind;
  readonly file: string | undefined;
  readonly offset: number | undefined;
  readonly entry: number | undefined;
  readonly expected: string;

  constructor(details: ImageErrorDetails) {
    super(formatMessage(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.file = details.file;
    this.offset = details.offset;
    this.entry = details.entry;
    this.expected = details.expected;
  }
}

function formatMessage(d: ImageErrorDetails): string {
  const where = [
    d.file ?? "<image>",
    d.offset === undefined ? undefined : `offset ${d.offset}`,
    d.entry === undefined ? undefined : `entry ${d.entry}`,
  ]
    .filter(Boolean)
    .join(", ");
  const cause = d.cause instanceof Error ? `: ${d.cause.message}` : "";
  return `${where}: ${d.kind}: expected ${d.expected}${cause}`;
}

export function isImageError(err: unknown): err is ImageError {
  return err instanceof ImageError;
}

/** The error for asking a raw image (pages, tmpfs archives, ...) for entries: it has none. */
export function rawImageError(raw: string, file: string | undefined): ImageError {
  return new ImageError({ kind: "bad-magic", file, offset: 0, expected: `an image with entries; this is raw ${raw} data, which has none` });
}
