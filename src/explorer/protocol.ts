import type { CheckpointDiff, countChanges, FileDescriptor, MountNamespace, NetNamespace, Task } from "../index";

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

/** What the page shows of the engine that made the archive (Podman, CRI-O, containerd). */
export interface EngineFacts {
  engine: string;
  containerName: string;
  image: string;
  id: string;
  runtime: string;
  created: string;
  checkpointed?: string;
  podName?: string;
  namespace?: string;
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
  /** Set when the checkpoint model could be built. */
  engine?: EngineFacts;
  criuImageVersion?: number;
  rootFsDiffBytes?: number;
  rootFs?: { added: number; deleted: number };
  dumpStats?: Record<string, string>;
  deadTasks?: number[];
  warnings: string[];
}

export type Request =
  /** Opens the checkpoint to explore or, with `second`, the one to compare it with. */
  | { op: "open"; source: OpenRequest; second?: boolean }
  | { op: "close-second" }
  /** Compares the first checkpoint (A) with the second (B); with `pages`, the bytes of every page too. */
  | { op: "diff"; pages: boolean }
  | { op: "overview" }
  | { op: "members" }
  | { op: "show"; name: string; pretty: boolean }
  | { op: "tasks" }
  | { op: "namespaces" }
  | { op: "maps"; pid: number }
  | { op: "memory"; pid: number; address: bigint; length: number }
  | { op: "search"; pattern: SearchRequest; pids?: number[]; context: number }
  | { op: "cancel"; target: number };

/** What changed from the first checkpoint to the second, and how many things per part. */
export type DiffAnswer = { diff: CheckpointDiff; counts: ChangeCounts } | { cancelled: true };
export type ChangeCounts = ReturnType<typeof countChanges>;

export type SearchRequest = { literal: string } | { hex: string } | { regex: string };

/** One mapping of a task, for the memory map and the hex viewer. */
export interface MapRow {
  start: bigint;
  end: bigint;
  protection: string;
  shared: boolean;
  kind: string;
  path?: string;
  residentPages: number;
}

export interface MemoryBytes {
  address: bigint;
  bytes: Uint8Array;
  missing: { start: bigint; end: bigint; why: string }[];
}

export interface HitRow {
  pid: number;
  address: bigint;
  mapping: string;
  match: Uint8Array;
  before: Uint8Array;
  after: Uint8Array;
}

/** The worker's answer to each request, by op. */
interface Replies {
  open: Overview;
  "close-second": boolean;
  diff: DiffAnswer;
  overview: Overview;
  members: MemberRow[];
  show: { name: string; text: string; bytes: number };
  tasks: TaskRow[];
  namespaces: { mountNamespaces: MountNamespace[]; netNamespaces: NetNamespace[] };
  maps: MapRow[];
  memory: MemoryBytes;
  search: { hits: HitRow[]; bytes: number; cancelled: boolean; skipped: { pid: number; why: string }[] };
  cancel: boolean;
}

export type Reply<R extends Request> = Replies[R["op"]];

/** A task as the page shows it: the model's task, children by pid, each fd described. */
export type TaskRow = Omit<Task, "children" | "fds"> & { children: number[]; fds: (FileDescriptor & { what: string })[] };

/** A message from the page to the worker. */
export interface Envelope {
  id: number;
  request: Request;
}

/** The worker's answer to the envelope with the same id; progress may come before it. */
export type Answer =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
  | { id: number; progress: { done: number; total: number } };
