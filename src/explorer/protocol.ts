// What the page asks its worker and what the worker answers. Everything that reads or decodes a
// checkpoint runs in the worker, so the page stays responsive on large dumps.

/** Where the checkpoint comes from, as the page can hand it to a worker (Blobs are cloneable). */
export type OpenRequest =
  | { kind: "blobs"; label: string; files: { name: string; blob: Blob }[] }
  | { kind: "archive"; label: string; blob: Blob }
  | { kind: "http"; label: string; base: string };

export interface MemberRow {
  name: string;
  size: number;
  /** The image's magic name (e.g. "CORE"), "RAW" for pages and other raw images, "" for other files. */
  magic: string;
  /** A raw image (pages, no magic): listed, not shown as JSON. */
  raw?: boolean;
  /** Number of entries, when the image decodes. */
  entries?: number;
  /** Why it did not decode. */
  error?: string;
}

export interface Overview {
  label: string;
  format: string;
  members: number;
  totalBytes: number;
  pagesBytes: number;
  images: number;
  /** Where the images sit: "" (a dump directory) or "checkpoint/" (an engine's archive). */
  imageDir: string;
  /** inventory.img's fields of interest, as crit prints them. */
  inventory?: Record<string, unknown>;
  tasks?: number;
  warnings: string[];
}

export type Request =
  | { op: "open"; source: OpenRequest }
  | { op: "overview" }
  | { op: "members" }
  | { op: "show"; name: string; pretty: boolean };

export type Reply<R extends Request> = R extends { op: "open" }
  ? Overview
  : R extends { op: "overview" }
    ? Overview
    : R extends { op: "members" }
      ? MemberRow[]
      : R extends { op: "show" }
        ? { name: string; text: string; bytes: number }
        : never;

/** A message from the page to the worker. */
export interface Envelope {
  id: number;
  request: Request;
}

/** The worker's answer to the envelope with the same id. */
export type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
