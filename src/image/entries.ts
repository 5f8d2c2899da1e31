import type {
  bpfmap_data_entry,
  CriuMessages,
  ghost_chunk_entry,
  ghost_file_entry,
  ipc_msg,
  ipc_msg_entry,
  ipc_sem_entry,
  ipc_shm_entry,
  pagemap_entry,
  pagemap_head,
  pipe_data_entry,
  sk_packet_entry,
  tcp_stream_entry,
} from "../schema/all";
import type { HeaderKind, ImageMagic, PayloadKind, RawMagic, RowOf } from "./magic-table";

// Entries of payload images: the message, then the raw data CRIU wrote after it. `padding`
// appears only when the padding bytes read were not zeros, so that they are written back.

/** pipes-data.img and fifo-data.img: the pipe's buffered data. */
export interface PipeDataEntry { entry: pipe_data_entry; data: Uint8Array }
/** sk-queues.img: one queued packet of a socket. */
export interface SkQueueEntry { entry: sk_packet_entry; data: Uint8Array }
/** tcp-stream-*.img: the receive queue and the send queue of a TCP connection. */
export interface TcpStreamEntry { entry: tcp_stream_entry; inq: Uint8Array; outq: Uint8Array }
/** ipcns-sem-*.img: one semaphore set and its values. */
export interface IpcSemEntry { entry: ipc_sem_entry; values: number[]; padding?: Uint8Array }
/** ipcns-msg-*.img: one message queue and its messages. */
export interface IpcMsgEntry { entry: ipc_msg_entry; messages: IpcMessage[] }
export interface IpcMessage { msg: ipc_msg; data: Uint8Array; padding?: Uint8Array }
/** ipcns-shm-*.img: one segment; `data` only in old images (without `in_pagemaps`). */
export interface IpcShmEntry { entry: ipc_shm_entry; data?: Uint8Array; padding?: Uint8Array }
/** bpfmap-data.img: one map's keys, then its values. */
export interface BpfmapDataEntry { entry: bpfmap_data_entry; keys: Uint8Array; values: Uint8Array }
/** ghost-file-*.img, first entry: the file, and its contents when not chunked. */
export interface GhostFileHead { entry: ghost_file_entry; data?: Uint8Array }
/** ghost-file-*.img, following entries of a chunked file: one extent and its bytes. */
export interface GhostChunk { entry: ghost_chunk_entry; data: Uint8Array }

interface EntriesByPayload<T> {
  entry: T[];
  pagemap: [pagemap_head, ...pagemap_entry[]];
  "ghost-file": [GhostFileHead, ...GhostChunk[]];
  "pipes-data": PipeDataEntry[];
  "sk-queues": SkQueueEntry[];
  "tcp-stream": TcpStreamEntry[];
  "ipc-sem": IpcSemEntry[];
  "ipc-msg": IpcMsgEntry[];
  "ipc-shm": IpcShmEntry[];
  "bpfmap-data": BpfmapDataEntry[];
}

type MessageOf<M extends ImageMagic> = RowOf<M>["message"] extends keyof CriuMessages
  ? CriuMessages[RowOf<M>["message"]]
  : never;

/** The entries of an image of type M: `core_entry[]` for CORE, `PipeDataEntry[]` for PIPES_DATA... */
export type EntriesOf<M extends ImageMagic> = EntriesByPayload<MessageOf<M>>[RowOf<M>["payload"] & PayloadKind];

/** One decoded image of type M. */
export type CriuImage<M extends ImageMagic = ImageMagic> = {
  [K in M]: {
    magic: K;
    /** What stood before the magic; when absent, encoding writes what CRIU writes for K. */
    header?: HeaderKind;
    entries: EntriesOf<K>;
  };
}[M];

/** An image without magic (pages, tmpfs archives, ip/iptables/nft dumps), kept as bytes. */
export interface RawImage {
  magic: RawMagic;
  raw: Uint8Array;
}

export type AnyImage = CriuImage | RawImage;

export function isRawImage(image: AnyImage): image is RawImage {
  return "raw" in image;
}
