export type MemoryErrorKind =
  | "missing-image" // an image the reader needs (pstree, pagemap-N, pages-N...) is not in the dump
  | "no-task" // the pid asked for is not in the process tree, or has no memory (a zombie)
  | "truncated" // pages-N.img holds fewer bytes than its pagemap's present entries need
  | "missing-memory" // bytes asked for that the dump chain does not hold (a hole, lazy-only pages)
  | "bad-pattern"; // a search pattern that cannot be used (empty, odd hex digits, bad regex)

/** Why memory could not be read or searched; names the image, the task and the address. */
export class MemoryError extends Error {
  override readonly name = "MemoryError";
  constructor(
    readonly kind: MemoryErrorKind,
    message: string,
    /** The image or member concerned, e.g. "pagemap-42.img". */
    readonly image?: string,
    readonly pid?: number,
    /** The first virtual address concerned. */
    readonly address?: bigint,
  ) {
    super(message);
  }
}

export function isMemoryError(err: unknown): err is MemoryError {
  return err instanceof MemoryError;
}
