// Where a checkpoint's files come from: a dump directory, a checkpoint archive (tar, plain or
// compressed), a Blob or a stream in the browser. One small interface, so that the checkpoint
// model (src/checkpoint/) never knows which one it reads. Browser-safe.

/** One file (or directory, or link) of a checkpoint source. */
export interface MemberInfo {
  /** Path relative to the source's root, '/'-separated, no leading "./" or "/" (e.g. "checkpoint/core-1.img"). */
  name: string;
  /** Size in bytes (0 for directories and links). */
  size: number;
  type: "file" | "directory" | "symlink" | "other";
  /** A symlink's target, as stored. */
  linkTarget?: string;
}

/** A range of one member to read. */
export interface RangeRequest {
  name: string;
  offset: number;
  length: number;
}

/**
 * Read access to the files of a checkpoint. Small members (image files, engine metadata) are read
 * whole; large ones (pages-N.img) by range, or streamed in one pass.
 *
 * Every failure is a SourceError naming the source and the member (and the byte offset where one
 * applies). Nothing is ever written to disk.
 */
export interface CheckpointSource {
  /** What errors and reports call this source: a path, or an archive's file name. */
  readonly label: string;
  /** "directory", "tar", "tar.gz", "tar.zst", "tar.xz", "files" (in memory)... */
  readonly format: string;
  /** True when readRange is cheap (a directory, an uncompressed tar); false when every read decompresses from the start. */
  readonly randomAccess: boolean;
  /** Every member, in archive (or directory-walk) order. */
  members(): Promise<readonly MemberInfo[]>;
  /** The whole bytes of a regular-file member. SourceError "missing-member" when there is none. */
  read(name: string): Promise<Uint8Array>;
  /**
   * The bytes of several ranges, in the order asked. Without random access this is one pass over
   * the source whatever the number of ranges. A range past the member's end is a SourceError
   * "out-of-range".
   */
  readRanges(requests: readonly RangeRequest[]): Promise<Uint8Array[]>;
  /**
   * One pass over the bytes of the named members, in source order, in chunks of bounded size
   * (`offset` is the chunk's offset in its member). A chunk is valid only until the callback's
   * promise settles. Stops early (without error) when `signal` aborts.
   */
  stream(
    names: readonly string[],
    onChunk: (name: string, offset: number, chunk: Uint8Array) => void | Promise<void>,
    signal?: AbortSignal,
  ): Promise<void>;
  /** Releases file handles; the source cannot be used afterwards. */
  close(): Promise<void>;
}

export type SourceErrorKind =
  | "missing-member" // the member asked for is not in the source
  | "out-of-range" // a range past the end of a member
  | "truncated" // the archive (or a compressed stream) ends early
  | "corrupt" // bytes that are not what the format says (bad tar header, bad checksum, bad zstd frame...)
  | "unsupported" // a format we do not read (detected by magic bytes)
  | "io"; // the file system or the Blob refused a read

/** Why a source could not give what was asked. */
export class SourceError extends Error {
  override readonly name = "SourceError";
  constructor(
    readonly kind: SourceErrorKind,
    /** The source's label (path or archive name). */
    readonly source: string,
    message: string,
    /** The member concerned, when there is one. */
    readonly member?: string,
    /** Byte offset (in the archive, or in the member when `member` is set) where it went wrong. */
    readonly offset?: number,
    /**
     * Byte offset in the (uncompressed) archive, when the error is about an archive's bytes: with
     * `member` set, where its header or data went wrong (a header error sets this and no `offset`).
     */
    readonly archiveOffset?: number,
  ) {
    const at = [offset === undefined ? "" : ` at offset ${offset}`, archiveOffset === undefined ? "" : ` (archive offset ${archiveOffset})`].join("");
    super(`${source}${member === undefined ? "" : `: ${member}`}${at}: ${message}`);
  }
}

export function isSourceError(err: unknown): err is SourceError {
  return err instanceof SourceError;
}
