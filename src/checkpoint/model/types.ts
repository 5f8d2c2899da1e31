// The typed model of a checkpoint: what was running, with what open, in which namespaces. Plain
// data (no methods), built by openCheckpoint; every list in a deterministic order.

import type { CheckpointSource, MemberInfo } from "../../source/source";
import type { ArchiveSizes, EngineMetadata, RootFsChanges } from "../engine/metadata";
import type { CheckpointWarning } from "./errors";

export interface Checkpoint {
  source: CheckpointSource;
  /** "" (a dump directory) or "checkpoint/" (an engine's archive): where the images are. */
  imagesDir: string;
  members: readonly MemberInfo[];
  /** inventory.img: image version, root namespace ids, LSM, dump run id... */
  inventory: Inventory;
  /** Every task in pstree.img order. */
  tasks: Task[];
  /** Tasks whose parent is not in the dump (normally one, the root), by pid. */
  roots: Task[];
  mountNamespaces: MountNamespace[];
  netNamespaces: NetNamespace[];
  stats: { dump: DumpStats | undefined; restore: RestoreStats | undefined };
  engine: EngineMetadata | undefined;
  sizes: ArchiveSizes;
  rootFs: RootFsChanges | undefined;
  /** Files of the archive outside the images that no engine is known to write. */
  unknownFiles: string[];
  warnings: CheckpointWarning[];
}

export interface Inventory {
  imageVersion: number;
  lsm: string;
  dumpRunId: string;
  rootIds: NamespaceIds | undefined;
}

/** CRIU's task states (TASK_*): 1 alive, 2 dead (exited, not reaped: restored as a zombie), 3 stopped, 4 helper, 5 thread, 6 zombie. */
export type TaskStateName = "Alive" | "Dead" | "Stopped" | "Helper" | "Thread" | "Zombie" | "Unknown";

export interface Task {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** The task_core comm (the main thread's name). */
  comm: string;
  state: TaskStateName;
  /** task_core_entry.task_state as stored. */
  stateCode: number;
  /** The exit status of a dead (unreaped) task. */
  exitCode: number;
  threads: Thread[];
  /** Children in the dump, by pid. */
  children: Task[];
  /** argv from the task's memory (mm_arg_start..mm_arg_end); undefined when not readable. */
  argv: string[] | undefined;
  /** The environment block in memory order, each entry as found (even one without '='). */
  environ: string[] | undefined;
  /** The main thread's credentials. */
  creds: Credentials | undefined;
  namespaces: NamespaceIds | undefined;
  fds: FileDescriptor[];
  cwd: string | undefined;
  root: string | undefined;
  umask: number | undefined;
  exe: string | undefined;
  memoryMaps: MemoryMap[];
  /** Resource limits by RLIMIT_* index; empty when the core image has none. */
  limits: ResourceLimit[];
  /** Signal state; undefined without a core image. */
  signals: TaskSignals | undefined;
  timers: TaskTimers | undefined;
}

export interface Thread {
  tid: number;
  comm: string;
  creds: Credentials | undefined;
  /** Signals this thread blocks (numbers). */
  blocked: number[];
  /** Signals pending for this thread only. */
  pending: PendingSignal[];
  /** The alternate signal stack (sigaltstack), when one is set. */
  altStack: { base: string; size: number; flags: number } | undefined;
  /** PR_SET_PDEATHSIG signal number, 0 when unset. */
  parentDeathSignal: number;
}

export interface ResourceLimit {
  /** RLIMIT_* number. */
  resource: number;
  name: string;
  soft: number | "unlimited";
  hard: number | "unlimited";
}

export interface TaskSignals {
  /** Signals blocked by the main thread (task_core's mask). */
  blocked: number[];
  /** The process-wide queue, oldest first. */
  pending: PendingSignal[];
  /** Dispositions that differ from the default, by signal number. */
  actions: SignalAction[];
}

export interface SignalAction {
  signo: number;
  name: string;
  /** "SIG_DFL", "SIG_IGN" or the handler's address in hex. */
  handler: string;
  /** SA_* names. */
  flags: string[];
  /** Signals blocked while the handler runs. */
  mask: number[];
  restorer: string;
}

export interface PendingSignal {
  signo: number;
  name: string;
  /** si_code, and its SI_* name when it has one. */
  code: number;
  codeName: string;
  /** The thread whose private queue holds it (absent for the process-wide queue). */
  thread?: number;
  senderPid?: number;
  senderUid?: number;
  timerId?: number;
  overrun?: number;
  /** sigval's int, for signals that carry a value (sigqueue, timers, mqueues). */
  value?: number;
}

export interface TaskTimers {
  real: IntervalTimer | undefined;
  virtual: IntervalTimer | undefined;
  prof: IntervalTimer | undefined;
  posix: PosixTimer[];
}

/** An armed setitimer(2) timer, in seconds. */
export interface IntervalTimer {
  interval: number;
  value: number;
}

export interface PosixTimer {
  id: number;
  clock: string;
  notify: string;
  signo: number;
  signal: string;
  /** sigev_value as stored (a pointer or an int), in hex. */
  value: string;
  overrun: number;
  /** Interval and time left, in seconds. */
  interval: number;
  remaining: number;
  /** The thread notified (SIGEV_THREAD_ID). */
  thread: number | undefined;
}

export interface Credentials {
  uid: number;
  gid: number;
  euid: number;
  egid: number;
  suid: number;
  sgid: number;
  fsuid: number;
  fsgid: number;
  groups: number[];
  /** Capability sets as hex strings (capEff[1]:capEff[0]), as /proc/PID/status shows them. */
  capEff: string;
  capPrm: string;
  capInh: string;
  capBnd: string;
  noNewPrivs: boolean;
  lsmProfile: string | undefined;
}

/** Namespace ids (ids-PID.img), comparable between tasks and with inventory's root ids. */
export interface NamespaceIds {
  pid: number;
  net: number;
  ipc: number;
  uts: number;
  mnt: number;
  user: number;
  cgroup: number;
  time: number;
}

export interface FileDescriptor {
  fd: number;
  /** The fd type's name as CRIU spells it: "REG", "PIPE", "INETSK"... */
  type: string;
  /** The file's id in files.img. */
  id: number;
  /** O_CLOEXEC and friends from fdinfo. */
  flags: number;
  file: OpenFile;
}

export type OpenFile =
  | RegularFile
  | PipeFile
  | InetSocket
  | UnixSocket
  | NetlinkSocket
  | PacketSocket
  | { kind: "eventfd"; counter: bigint; flags: number }
  | { kind: "epoll"; targets: { fd: number; events: number }[] }
  | { kind: "signalfd"; sigmask: bigint }
  | { kind: "timerfd"; clockid: number; ticks: bigint }
  | { kind: "inotify"; watches: { wd: number; inode: bigint; mask: number }[] }
  | { kind: "fanotify"; marks: number }
  | { kind: "memfd"; name: string; size: bigint | undefined; pos: bigint }
  | { kind: "tty"; index: number | undefined; ttyType: string; path: string | undefined }
  | { kind: "namespace"; nsId: number; nsCflag: number }
  | { kind: "other"; typeName: string }
  | { kind: "missing"; reason: string };

export interface RegularFile {
  kind: "regular";
  path: string;
  /** open(2) flags as stored (octal in /proc). */
  flags: number;
  pos: bigint;
  size: bigint | undefined;
  mntId: number;
  /** The file was unlinked while open: CRIU kept its contents (ghost) or a link to it. */
  deleted: boolean;
  /** Bytes of the deleted file kept in ghost-file-N.img. */
  ghostSize: bigint | undefined;
}

export interface PipeFile {
  kind: "pipe" | "fifo";
  pipeId: number;
  /** From the open flags: O_WRONLY write end, O_RDONLY read end, O_RDWR both. */
  end: "read" | "write" | "both";
  /** A FIFO's path. */
  path: string | undefined;
  /** Bytes queued in the pipe (pipes-data.img / fifo-data.img). */
  queuedBytes: number;
  /** Every other fd of any task holding the same pipe. */
  peers: { pid: number; fd: number; end: "read" | "write" | "both" }[];
}

export interface InetSocket {
  kind: "inet";
  family: "IPv4" | "IPv6" | string;
  protocol: string;
  sockType: string;
  state: string;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  ino: number;
  nsId: number;
  sendBuf: number;
  recvBuf: number;
  /** Bytes received and not read (tcp-stream inq), sent and not acknowledged (outq). */
  inqBytes: number | undefined;
  outqBytes: number | undefined;
}

export interface UnixSocket {
  kind: "unix";
  sockType: string;
  state: string;
  ino: number;
  peerIno: number;
  /** The name's bytes as stored: a path (often with a trailing NUL), "\0name" abstract, empty unnamed. */
  name: Uint8Array;
  /** The name for people: a path, "@name" for an abstract name, "" for unnamed. */
  address: string;
  abstract: boolean;
  mntId: number;
  nsId: number;
  sendBuf: number;
  recvBuf: number;
  /** Bytes queued for this socket to read (sk-queues.img). */
  queuedBytes: number;
  /** The tasks and fds holding the peer. */
  peers: { pid: number; fd: number }[];
}

export interface NetlinkSocket {
  kind: "netlink";
  protocol: number;
  portid: number;
  state: string;
  nsId: number;
  sendBuf: number;
  recvBuf: number;
}

export interface PacketSocket {
  kind: "packet";
  sockType: number;
  protocol: number;
  ifindex: number;
  nsId: number;
  sendBuf: number;
  recvBuf: number;
}

export interface MountNamespace {
  id: number;
  mounts: Mount[];
}

export interface Mount {
  mntId: number;
  parentMntId: number;
  mountpoint: string;
  root: string;
  source: string;
  fstype: string;
  options: string;
  sharedId: number;
  masterId: number;
  external: boolean;
  extKey: string | undefined;
}

export interface NetNamespace {
  id: number;
  /** Set when the namespace was external to the dump (e.g. runc's extRootNetNS). */
  extKey: string | undefined;
  devices: NetDevice[];
  /** From ifaddr-N.img (`ip addr save`); empty when the dump has none. */
  addresses: NetAddress[];
  /** From route-N.img and route6-N.img (`ip route save`). */
  routes: NetRoute[];
  /** Whether the dump has an ifaddr image (addresses may still be empty). */
  hasAddressImage: boolean;
  nsids: { targetNsId: number; value: number }[];
}

export interface NetAddress {
  ifindex: number;
  /** The device's name in this namespace, when netdev-N.img has it. */
  device: string | undefined;
  /** "inet" or "inet6". */
  family: string;
  address: string;
  /** The other end of a point-to-point address. */
  peer: string | undefined;
  prefixLength: number;
  /** "host", "link", "global"... */
  scope: string;
  /** IFA_F_* names, as `ip addr` prints them ("permanent", "noprefixroute"...). */
  flags: string[];
  label: string | undefined;
  broadcast: string | undefined;
}

export interface NetRoute {
  family: string;
  /** "default" or "ADDRESS/PREFIX". */
  destination: string;
  prefixLength: number;
  gateway: string | undefined;
  device: string | undefined;
  ifindex: number | undefined;
  /** The preferred source address. */
  source: string | undefined;
  table: string;
  protocol: string;
  scope: string;
  type: string;
  metric: number | undefined;
}

export interface NetDevice {
  ifindex: number;
  name: string;
  type: string;
  mtu: number;
  flags: number;
  mac: string;
  macvlanMode: number | undefined;
  peerIfindex: number;
  peerNsid: number;
  master: number;
}

export interface MemoryMap {
  start: bigint;
  end: bigint;
  /** "rwx" with dashes, plus "p" private or "s" shared as in /proc/PID/maps. */
  protection: string;
  prot: number;
  flags: number;
  status: number;
  /** A file path, "[heap]", "[stack]", "[vdso]", "[vsyscall]", "[shmem]", "[anon]"... */
  backing: string;
  pgoff: bigint;
  /** Pages of this mapping saved in the dump (present or in the parent). */
  residentPages: number;
}

export interface DumpStats {
  freezingTime: number;
  frozenTime: number;
  memdumpTime: number;
  memwriteTime: number;
  pagesScanned: bigint;
  pagesSkippedParent: bigint;
  pagesWritten: bigint;
  pagesLazy: bigint;
  irmapResolve: number;
}

export interface RestoreStats {
  pagesCompared: bigint;
  pagesSkippedCow: bigint;
  pagesRestored: bigint;
  forkingTime: number;
  restoreTime: number;
}
