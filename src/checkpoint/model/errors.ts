// Why a checkpoint cannot be opened at all, and what is merely odd in one (warnings). Opening
// fails only when the images every view needs (inventory.img, pstree.img) are absent or
// unreadable; anything else that is damaged becomes a warning and the model goes on without it.

export type CheckpointErrorKind =
  | "not-a-checkpoint" // neither the source's root nor checkpoint/ holds CRIU images
  | "incomplete" // images are there, but one every view needs is missing
  | "bad-image"; // inventory.img or pstree.img is there but cannot be decoded

/** Why openCheckpoint could not give a model: what the source holds and what is missing. */
export class CheckpointError extends Error {
  override readonly name = "CheckpointError";
  constructor(
    readonly kind: CheckpointErrorKind,
    /** The source's label (a path or an archive name). */
    readonly source: string,
    message: string,
    /** Members that are required and absent, e.g. ["checkpoint/pstree.img"]. */
    readonly missing: readonly string[] = [],
    /** A few of the members the source does hold, for the message. */
    readonly present: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${message}`, options);
  }
}

export function isCheckpointError(err: unknown): err is CheckpointError {
  return err instanceof CheckpointError;
}

/** Something the model could not read or join, kept rather than fatal. */
export interface CheckpointWarning {
  /** The member concerned, e.g. "checkpoint/files.img" (or "" when it concerns the whole). */
  member: string;
  /** The task concerned, when there is one. */
  pid?: number;
  message: string;
}

/** The message of an error of any kind, on one line. */
export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, " ");
}
