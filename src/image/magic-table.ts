/**
 * The one table of CRIU magic numbers: every `*_MAGIC` define of CRIU 4.2 (91 rows), with the
 * header CRIU writes before it, the file-name pattern, the entry message and the payload kind.
 * It drives header detection, decoding, encoding and the CLI; nothing else keeps a second list.
 */

/** How the data after an entry's message is laid out (see src/image/payloads). */
export type PayloadKind =
  | "entry" // messages only
  | "pagemap" // pagemap_head, then pagemap_entry messages
  | "ghost-file" // ghost_file_entry, then file contents or ghost_chunk_entry + data records
  | "pipes-data" // pipe_data_entry, then `bytes` bytes
  | "sk-queues" // sk_packet_entry, then `length` bytes
  | "tcp-stream" // tcp_stream_entry, then inq_len + outq_len bytes
  | "ipc-sem" // ipc_sem_entry, then nsems u16 values padded to 8
  | "ipc-msg" // ipc_msg_entry, then qnum × (ipc_msg, msize bytes padded to 8)
  | "ipc-shm" // ipc_shm_entry, then size bytes padded to 4 unless in_pagemaps
  | "bpfmap-data"; // bpfmap_data_entry, then keys_bytes + values_bytes bytes

/** What CRIU writes before the magic: IMG_COMMON, IMG_SERVICE, or nothing. */
export type HeaderKind = "common" | "service" | "none";

export interface MagicRow {
  readonly name: string;
  readonly value: number;
  /** image: a decodable image type; alias: same value as `aliasOf`; raw: no magic in the file. */
  readonly kind: "image" | "alias" | "raw" | "header" | "version" | "kdat";
  readonly header?: HeaderKind;
  /** File name as CRIU formats it (printf style). */
  readonly file?: string;
  /** The message of each entry (of the first entry, for pagemap and ghost files). */
  readonly message?: string;
  readonly payload?: PayloadKind;
  readonly aliasOf?: string;
  /** CRIU 4.2's Python crit has a handler for it. */
  readonly crit?: boolean;
}

export const MAGIC_TABLE = [
  { name: "CRTOOLS_IMAGES_V1", value: 0x00000001, kind: "version" },
  { name: "CRTOOLS_IMAGES_V1_1", value: 0x00000002, kind: "version" },
  { name: "RAW_IMAGE", value: 0x00000000, kind: "raw", header: "none" },
  { name: "IMG_COMMON", value: 0x54564319, kind: "header" },
  { name: "IMG_SERVICE", value: 0x55105940, kind: "header" },
  { name: "INVENTORY", value: 0x58313116, kind: "image", header: "none", file: "inventory.img", message: "inventory_entry", payload: "entry", crit: true },
  { name: "PSTREE", value: 0x50273030, kind: "image", header: "common", file: "pstree.img", message: "pstree_entry", payload: "entry", crit: true },
  { name: "FDINFO", value: 0x56213732, kind: "image", header: "common", file: "fdinfo-%u.img", message: "fdinfo_entry", payload: "entry", crit: true },
  { name: "PAGEMAP", value: 0x56084025, kind: "image", header: "common", file: "pagemap-%lu.img", message: "pagemap_head", payload: "pagemap", crit: true },
  { name: "SHMEM_PAGEMAP", value: 0x56084025, kind: "alias", header: "common", file: "pagemap-shmem-%lu.img", message: "pagemap_head", aliasOf: "PAGEMAP" },
  { name: "PAGES", value: 0x00000000, kind: "raw", header: "none", file: "pages-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "CORE", value: 0x55053847, kind: "image", header: "common", file: "core-%u.img", message: "core_entry", payload: "entry", crit: true },
  { name: "IDS", value: 0x54432030, kind: "image", header: "common", file: "ids-%u.img", message: "task_kobj_ids_entry", payload: "entry", crit: true },
  { name: "VMAS", value: 0x54123737, kind: "image", header: "common", file: "vmas-%u.img", message: "vma_entry", payload: "entry", crit: true },
  { name: "PIPES", value: 0x56513555, kind: "image", header: "common", file: "pipes.img", message: "pipe_entry", payload: "entry", crit: true },
  { name: "PIPES_DATA", value: 0x56453709, kind: "image", header: "common", file: "pipes-data.img", message: "pipe_data_entry", payload: "pipes-data", crit: true },
  { name: "FIFO", value: 0x58364939, kind: "image", header: "common", file: "fifo.img", message: "fifo_entry", payload: "entry", crit: true },
  { name: "FIFO_DATA", value: 0x59333054, kind: "image", header: "common", file: "fifo-data.img", message: "pipe_data_entry", payload: "pipes-data", crit: true },
  { name: "SIGACT", value: 0x55344201, kind: "image", header: "common", file: "sigacts-%u.img", message: "sa_entry", payload: "entry", crit: true },
  { name: "UNIXSK", value: 0x54373943, kind: "image", header: "common", file: "unixsk.img", message: "unix_sk_entry", payload: "entry", crit: true },
  { name: "INETSK", value: 0x56443851, kind: "image", header: "common", file: "inetsk.img", message: "inet_sk_entry", payload: "entry", crit: true },
  { name: "PACKETSK", value: 0x60454618, kind: "image", header: "common", file: "packetsk.img", message: "packet_sock_entry", payload: "entry", crit: true },
  { name: "ITIMERS", value: 0x57464056, kind: "image", header: "common", file: "itimers-%u.img", message: "itimer_entry", payload: "entry", crit: true },
  { name: "POSIX_TIMERS", value: 0x52603957, kind: "image", header: "common", file: "posix-timers-%u.img", message: "posix_timer_entry", payload: "entry", crit: true },
  { name: "SK_QUEUES", value: 0x56264026, kind: "image", header: "common", file: "sk-queues.img", message: "sk_packet_entry", payload: "sk-queues", crit: true },
  { name: "UTSNS", value: 0x54473203, kind: "image", header: "common", file: "utsns-%u.img", message: "utsns_entry", payload: "entry", crit: true },
  { name: "CREDS", value: 0x54023547, kind: "image", header: "common", file: "creds-%u.img", message: "creds_entry", payload: "entry", crit: true },
  { name: "IPC_VAR", value: 0x53115007, kind: "image", header: "common", file: "ipcns-var-%u.img", message: "ipc_var_entry", payload: "entry", crit: true },
  { name: "IPCNS_SHM", value: 0x46283044, kind: "image", header: "common", file: "ipcns-shm-%u.img", message: "ipc_shm_entry", payload: "ipc-shm", crit: true },
  { name: "IPCNS_MSG", value: 0x55453737, kind: "image", header: "common", file: "ipcns-msg-%u.img", message: "ipc_msg_entry", payload: "ipc-msg", crit: true },
  { name: "IPCNS_SEM", value: 0x59573019, kind: "image", header: "common", file: "ipcns-sem-%u.img", message: "ipc_sem_entry", payload: "ipc-sem", crit: true },
  { name: "REG_FILES", value: 0x50363636, kind: "image", header: "common", file: "reg-files.img", message: "reg_file_entry", payload: "entry", crit: true },
  { name: "EXT_FILES", value: 0x59255641, kind: "image", header: "common", file: "ext-files.img", message: "ext_file_entry", payload: "entry", crit: true },
  { name: "FS", value: 0x51403912, kind: "image", header: "common", file: "fs-%u.img", message: "fs_entry", payload: "entry", crit: true },
  { name: "MM", value: 0x57492820, kind: "image", header: "common", file: "mm-%u.img", message: "mm_entry", payload: "entry", crit: true },
  { name: "REMAP_FPATH", value: 0x59133954, kind: "image", header: "common", file: "remap-fpath.img", message: "remap_file_path_entry", payload: "entry", crit: true },
  { name: "GHOST_FILE", value: 0x52583605, kind: "image", header: "common", file: "ghost-file-%x.img", message: "ghost_file_entry", payload: "ghost-file", crit: true },
  { name: "TCP_STREAM", value: 0x51465506, kind: "image", header: "common", file: "tcp-stream-%x.img", message: "tcp_stream_entry", payload: "tcp-stream", crit: true },
  { name: "EVENTFD_FILE", value: 0x44523722, kind: "image", header: "common", file: "eventfd.img", message: "eventfd_file_entry", payload: "entry", crit: true },
  { name: "EVENTPOLL_FILE", value: 0x45023858, kind: "image", header: "common", file: "eventpoll.img", message: "eventpoll_file_entry", payload: "entry", crit: true },
  { name: "EVENTPOLL_TFD", value: 0x44433746, kind: "image", header: "common", file: "eventpoll-tfd.img", message: "eventpoll_tfd_entry", payload: "entry", crit: true },
  { name: "SIGNALFD", value: 0x57323820, kind: "image", header: "common", file: "signalfd.img", message: "signalfd_entry", payload: "entry", crit: true },
  { name: "INOTIFY_FILE", value: 0x48424431, kind: "image", header: "common", file: "inotify.img", message: "inotify_file_entry", payload: "entry", crit: true },
  { name: "INOTIFY_WD", value: 0x54562009, kind: "image", header: "common", file: "inotify-wd.img", message: "inotify_wd_entry", payload: "entry", crit: true },
  { name: "MNTS", value: 0x55563928, kind: "image", header: "common", file: "mountpoints-%u.img", message: "mnt_entry", payload: "entry", crit: true },
  { name: "NETDEV", value: 0x57373951, kind: "image", header: "common", file: "netdev-%u.img", message: "net_device_entry", payload: "entry", crit: true },
  { name: "NETNS", value: 0x55933752, kind: "image", header: "common", file: "netns-%u.img", message: "netns_entry", payload: "entry", crit: true },
  { name: "TTY_FILES", value: 0x59433025, kind: "image", header: "common", file: "tty.img", message: "tty_file_entry", payload: "entry", crit: true },
  { name: "TTY_INFO", value: 0x59453036, kind: "image", header: "common", file: "tty-info.img", message: "tty_info_entry", payload: "entry", crit: true },
  { name: "TTY_DATA", value: 0x59413026, kind: "image", header: "common", file: "tty-data.img", message: "tty_data_entry", payload: "entry", crit: true },
  { name: "FILE_LOCKS", value: 0x54323616, kind: "image", header: "common", file: "filelocks.img", message: "file_lock_entry", payload: "entry", crit: true },
  { name: "RLIMIT", value: 0x57113925, kind: "image", header: "common", file: "rlimit-%u.img", message: "rlimit_entry", payload: "entry", crit: true },
  { name: "FANOTIFY_FILE", value: 0x55096122, kind: "image", header: "common", file: "fanotify.img", message: "fanotify_file_entry", payload: "entry", crit: true },
  { name: "FANOTIFY_MARK", value: 0x56506035, kind: "image", header: "common", file: "fanotify-mark.img", message: "fanotify_mark_entry", payload: "entry", crit: true },
  { name: "SIGNAL", value: 0x59255647, kind: "image", header: "common", file: "signal-s-%u.img", message: "siginfo_entry", payload: "entry" },
  { name: "PSIGNAL", value: 0x59255647, kind: "alias", header: "common", file: "signal-p-%u.img", message: "siginfo_entry", aliasOf: "SIGNAL" },
  { name: "NETLINK_SK", value: 0x58005614, kind: "image", header: "common", file: "netlinksk.img", message: "netlink_sk_entry", payload: "entry", crit: true },
  { name: "NS_FILES", value: 0x61394011, kind: "image", header: "common", file: "ns-files.img", message: "ns_file_entry", payload: "entry", crit: true },
  { name: "TUNFILE", value: 0x57143751, kind: "image", header: "common", file: "tunfile.img", message: "tunfile_entry", payload: "entry", crit: true },
  { name: "CGROUP", value: 0x59383330, kind: "image", header: "common", file: "cgroup.img", message: "cgroup_entry", payload: "entry", crit: true },
  { name: "TIMERFD", value: 0x50493712, kind: "image", header: "common", file: "timerfd.img", message: "timerfd_entry", payload: "entry", crit: true },
  { name: "CPUINFO", value: 0x61404013, kind: "image", header: "common", file: "cpuinfo.img", message: "cpuinfo_entry", payload: "entry", crit: true },
  { name: "USERNS", value: 0x55474906, kind: "image", header: "common", file: "userns-%u.img", message: "userns_entry", payload: "entry", crit: true },
  { name: "SECCOMP", value: 0x64413049, kind: "image", header: "common", file: "seccomp.img", message: "seccomp_entry", payload: "entry", crit: true },
  { name: "BINFMT_MISC", value: 0x67343323, kind: "image", header: "common", file: "binfmt-misc.img", message: "binfmt_misc_entry", payload: "entry" },
  { name: "AUTOFS", value: 0x49353943, kind: "image", header: "common", file: "autofs-%u.img", message: "autofs_entry", payload: "entry", crit: true },
  { name: "FILES", value: 0x56303138, kind: "image", header: "common", file: "files.img", message: "file_entry", payload: "entry", crit: true },
  { name: "MEMFD_INODE", value: 0x48453499, kind: "image", header: "common", file: "memfd.img", message: "memfd_inode_entry", payload: "entry", crit: true },
  { name: "TIMENS", value: 0x43114433, kind: "image", header: "common", file: "timens-%u.img", message: "timens_entry", payload: "entry", crit: true },
  { name: "PIDNS", value: 0x61157326, kind: "image", header: "common", file: "pidns-%u.img", message: "pidns_entry", payload: "entry", crit: true },
  { name: "BPFMAP_FILE", value: 0x57506142, kind: "image", header: "common", file: "bpfmap-file.img", message: "bpfmap_file_entry", payload: "entry", crit: true },
  { name: "BPFMAP_DATA", value: 0x64324033, kind: "image", header: "common", file: "bpfmap-data.img", message: "bpfmap_data_entry", payload: "bpfmap-data", crit: true },
  { name: "APPARMOR", value: 0x59423047, kind: "image", header: "common", file: "apparmor.img", message: "apparmor_entry", payload: "entry", crit: true },
  { name: "PIDFD", value: 0x54435556, kind: "image", header: "common", file: "pidfd.img", message: "pidfd_entry", payload: "entry" },
  { name: "IFADDR", value: 0x00000000, kind: "raw", header: "none", file: "ifaddr-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "ROUTE", value: 0x00000000, kind: "raw", header: "none", file: "route-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "ROUTE6", value: 0x00000000, kind: "raw", header: "none", file: "route6-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "RULE", value: 0x00000000, kind: "raw", header: "none", file: "rule-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "TMPFS_IMG", value: 0x00000000, kind: "raw", header: "none", file: "tmpfs-%u.tar.gz.img", aliasOf: "RAW_IMAGE" },
  { name: "TMPFS_DEV", value: 0x00000000, kind: "raw", header: "none", file: "tmpfs-dev-%u.tar.gz.img", aliasOf: "RAW_IMAGE" },
  { name: "IPTABLES", value: 0x00000000, kind: "raw", header: "none", file: "iptables-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "IP6TABLES", value: 0x00000000, kind: "raw", header: "none", file: "ip6tables-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "NFTABLES", value: 0x00000000, kind: "raw", header: "none", file: "nftables-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "NETNF_CT", value: 0x00000000, kind: "raw", header: "none", file: "netns-ct-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "NETNF_EXP", value: 0x00000000, kind: "raw", header: "none", file: "netns-exp-%u.img", aliasOf: "RAW_IMAGE" },
  { name: "PAGES_OLD", value: 0x56084025, kind: "alias", header: "common", file: "pages-%d.img", aliasOf: "PAGEMAP" },
  { name: "SHM_PAGES_OLD", value: 0x56084025, kind: "alias", header: "common", file: "pages-shmem-%ld.img", aliasOf: "PAGEMAP" },
  { name: "BINFMT_MISC_OLD", value: 0x67343323, kind: "alias", header: "common", file: "binfmt-misc-%u.img", message: "binfmt_misc_entry", aliasOf: "BINFMT_MISC" },
  { name: "STATS", value: 0x57093306, kind: "image", header: "service", file: "stats-%s", message: "stats_entry", payload: "entry", crit: true },
  { name: "IRMAP_CACHE", value: 0x57004059, kind: "image", header: "service", file: "irmap-cache", message: "irmap_cache_entry", payload: "entry", crit: true },
  { name: "KDAT", value: 0x57023458, kind: "kdat" },
] as const satisfies readonly MagicRow[];

type Row = (typeof MAGIC_TABLE)[number];
export type ImageRow = Extract<Row, { kind: "image" }>;
/** The name of every decodable image type: "CORE", "PSTREE", "PAGEMAP", ... */
export type ImageMagic = ImageRow["name"];
/** Raw image kinds, recognised by file name since they have no magic. */
export type RawMagic = Extract<Row, { kind: "raw"; file: string }>["name"];
export type RowOf<M extends ImageMagic> = Extract<ImageRow, { name: M }>;

export const IMG_COMMON = 0x54564319;
export const IMG_SERVICE = 0x55105940;

const imagesByValue = new Map<number, ImageRow>();
const imagesByName = new Map<string, ImageRow>();
for (const row of MAGIC_TABLE) {
  if (row.kind !== "image") continue;
  imagesByValue.set(row.value, row);
  imagesByName.set(row.name, row);
}

/** The image type with this magic value (aliases resolve to the main name), if any. */
export function imageRowByValue(value: number): ImageRow | undefined {
  return imagesByValue.get(value);
}

/** The image type with this name (e.g. "CORE"); aliases resolve to the row they alias. */
export function imageRowByName(name: string): ImageRow | undefined {
  const row = imagesByName.get(name);
  if (row) return row;
  const alias = MAGIC_TABLE.find((r) => r.name === name && r.kind === "alias");
  return alias && "aliasOf" in alias ? imagesByName.get(alias.aliasOf) : undefined;
}

const rawPatterns: { name: RawMagic; pattern: RegExp }[] = MAGIC_TABLE.flatMap((row) =>
  row.kind === "raw" && "file" in row ? [{ name: row.name as RawMagic, pattern: filePattern(row.file) }] : [],
);

/** The raw image type a file name denotes (e.g. "pages-1.img" → "PAGES"), if any. */
export function rawMagicForFile(fileName: string): RawMagic | undefined {
  const base = fileName.slice(fileName.lastIndexOf("/") + 1);
  return rawPatterns.find((r) => r.pattern.test(base))?.name;
}

/** A printf-style file name (`pages-%u.img`) as an anchored regular expression. */
function filePattern(format: string): RegExp {
  const parts = format.split(/%l?[udxs]/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[0-9a-fA-F]+")}$`);
}
