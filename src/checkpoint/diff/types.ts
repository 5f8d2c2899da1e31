// What diffCheckpoints returns: plain data (JSON-serializable: no bigints, no class instances),
// every list in a deterministic order (pid, then fd, then address). Addresses are hex strings
// ("0x7ffd1000"); byte counts and file positions are numbers (exact up to 2^53).

export interface DiffOptions {
  /** Compare the bytes of every page both checkpoints hold (default true); reads all memory, chunk by chunk. */
  pages?: boolean;
  /** Pages read from each checkpoint at once when comparing (default 256: 1 MiB of 4 KiB pages). */
  chunkPages?: number;
  /** Bytes of pages compared so far, and in all (pages held by both checkpoints), after each chunk. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Stops the page comparison: diffCheckpoints then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** One value in A and in B. */
export interface Change<T> {
  a: T;
  b: T;
}

export interface CheckpointDiff {
  a: CheckpointSide;
  b: CheckpointSide;
  /** Both checkpoints name one container (false when the engines name two; null without engine metadata). */
  sameContainer: boolean | null;
  processes: ProcessesDiff;
  files: FilesDiff;
  sockets: SocketsDiff;
  memory: MemoryDiff;
}

export interface CheckpointSide {
  /** The source's label (a path or an archive's name). */
  label: string;
  container: { name: string; id: string; image: string; created: string } | null;
  /** Bytes of every file of the images folder (checkpointctl's total_size). */
  checkpointBytes: number;
  /** Bytes of pages-*.img. */
  pagesBytes: number;
}

export interface ProcessSummary {
  pid: number;
  ppid: number;
  comm: string;
  /** null when the argv could not be read from memory. */
  argv: string[] | null;
}

export interface ProcessesDiff {
  added: ProcessSummary[];
  removed: ProcessSummary[];
  changed: ProcessChange[];
  unchanged: ProcessSummary[];
}

export interface ProcessChange {
  pid: number;
  a: ProcessSummary;
  b: ProcessSummary;
  /** Scalar fields that differ: comm, argv, ppid, pgid, sid, state, exitCode, cwd, root, umask, exe, and credentials as "creds.uid", "creds.capEff"... */
  fields: FieldChange[];
  environment: EnvironmentDiff;
  threads: ThreadsDiff;
}

export interface FieldChange {
  field: string;
  a: FieldValue;
  b: FieldValue;
}

export type FieldValue = string | number | boolean | null | string[] | number[];

/** Environment entries by name (the text before the first "="), names ascending. */
export interface EnvironmentDiff {
  added: string[];
  removed: string[];
  changed: { name: string; a: string; b: string }[];
}

export interface ThreadsDiff {
  added: { tid: number; comm: string }[];
  removed: { tid: number; comm: string }[];
  renamed: { tid: number; a: string; b: string }[];
}

export interface FdEntry {
  pid: number;
  /** The descriptor's number, or the task's "cwd" / "root" directory. */
  fd: number | "cwd" | "root";
  /** CRIU's fd type name ("REG", "PIPE", "INETSK"...); "" for cwd and root. */
  type: string;
  /** What the fd refers to, as `crit inspect` prints it (a path, pipe[N], unix[ino (peer) name]...). */
  path: string;
  /** fdinfo flags (O_CLOEXEC). */
  fdFlags: number;
  /** open(2) flags of a regular file; null for other kinds. */
  openFlags: number | null;
  /** File position of a regular file or memfd; null for other kinds. */
  position: number | null;
}

export interface FilesDiff {
  opened: FdEntry[];
  closed: FdEntry[];
  /** Same pid and fd in both, some of type, path, fdFlags, openFlags, position differing (named in `fields`). */
  changed: { pid: number; fd: number | "cwd" | "root"; a: FdEntry; b: FdEntry; fields: string[] }[];
  unchanged: FdEntry[];
}

export interface SocketEntry {
  pid: number;
  fd: number;
  /** "TCP", "UDP"..., "UNIX", "NETLINK", "PACKET". */
  protocol: string;
  family: string;
  sockType: string;
  state: string;
  inode: number;
  /** "127.0.0.1:7070", a UNIX path, "@name" (abstract), "" (unnamed); netlink/packet: their ids. */
  local: string;
  /** The peer's address ("" when none); for UNIX sockets "ino N" of the peer when it has one. */
  peer: string;
  /** Bytes received and not read (TCP inq, UNIX queue); null when the dump does not say. */
  inqBytes: number | null;
  /** Bytes sent and not acknowledged (TCP outq); null when the dump does not say. */
  outqBytes: number | null;
  /** Raw endpoint data as checkpointctl reports it. */
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** A UNIX socket's name as stored (NULs kept), "" otherwise. */
  name: string;
}

export interface SocketsDiff {
  added: SocketEntry[];
  removed: SocketEntry[];
  /** Same pid and fd in both, some of protocol, state, local, peer, inqBytes, outqBytes differing. */
  changed: { pid: number; fd: number; a: SocketEntry; b: SocketEntry; fields: string[] }[];
  unchanged: SocketEntry[];
}

export interface MapEntry {
  start: string;
  end: string;
  protection: string;
  backing: string;
}

export interface TaskMemoryDiff {
  pid: number;
  /** Mappings matched by start address. */
  maps: {
    added: MapEntry[];
    removed: MapEntry[];
    resized: { start: string; backing: string; end: Change<string> }[];
    /** Same start and end, other protection or backing. */
    changed: { start: string; end: string; protection: Change<string>; backing: Change<string> }[];
  };
  /** null when pages were not compared (DiffOptions.pages false, or a task without memory of its own). */
  pages: PagesDiff | null;
}

export interface PagesDiff {
  /** Pages of the task's pagemap whose bytes the dump holds. */
  resident: Change<number>;
  /** Addresses of pages held by both whose bytes differ, ascending. */
  changed: string[];
  /** Pages held by one checkpoint only. */
  onlyInA: number;
  onlyInB: number;
  /** Why the pages could not be compared (a damaged or missing pagemap), else null. */
  error: string | null;
}

export interface MemoryDiff {
  /** pages-*.img bytes of B minus A (checkpointctl's size change). */
  pagesBytesChange: number;
  /** Every task in both checkpoints, by pid. */
  tasks: TaskMemoryDiff[];
}
