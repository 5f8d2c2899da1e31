import { toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import type {
  BpfmapDataEntry,
  CriuImage,
  GhostChunk,
  GhostFileHead,
  IpcMsgEntry,
  IpcSemEntry,
  IpcShmEntry,
  PipeDataEntry,
  SkQueueEntry,
  TcpStreamEntry,
} from "../../src/image/entries";
import { IMG_COMMON, IMG_SERVICE, imageRowByName, type ImageRow } from "../../src/image/magic-table";
import { criuRegistry } from "../../src/schema/registry";

/** One message of an image, in the order the image holds them. */
export interface ImageMessage {
  schema: DescMessage;
  message: Message;
}

const schemaOf = (name: string): DescMessage => criuRegistry.getMessage(name)!;

/** Every protobuf message of an image, in wire order (entries, and ipc_msg inside queues). */
export function imageMessages(image: CriuImage): ImageMessage[] {
  const row = imageRowByName(image.magic)!;
  const out: ImageMessage[] = [];
  (image.entries as unknown[]).forEach((e, i) => {
    const m = (name: string, message: unknown) => out.push({ schema: schemaOf(name), message: message as Message });
    switch (row.payload) {
      case "entry":
        return m(row.message, e);
      case "pagemap":
        return m(i === 0 ? "pagemap_head" : "pagemap_entry", e);
      case "ghost-file":
        return m(i === 0 ? "ghost_file_entry" : "ghost_chunk_entry", (e as GhostFileHead).entry);
      case "ipc-msg":
        m(row.message, (e as IpcMsgEntry).entry);
        return (e as IpcMsgEntry).messages.forEach((q) => m("ipc_msg", q.msg));
      default:
        return m(row.message, (e as { entry: unknown }).entry);
    }
  });
  return out;
}

/**
 * An independent writer of the image format, for checking the codec against: header, then
 * each entry as `u32 length ‖ message bytes` and its payload. `bytesOf` gives each message's
 * bytes (protobuf-es's encoding by default; tests pass wire bytes with extras).
 */
export function referenceEncode(image: CriuImage, bytesOf: (m: ImageMessage) => Uint8Array = (m) => toBinary(m.schema, m.message)): Uint8Array {
  const row: ImageRow = imageRowByName(image.magic)!;
  const out: number[] = [];
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  const raw = (b: Uint8Array | undefined) => b && out.push(...b);
  const pad = (size: number, align: number, kept?: Uint8Array) => {
    const n = (align - (size % align)) % align;
    out.push(...(kept && kept.length === n ? kept : new Uint8Array(n)));
  };
  const messages = imageMessages(image);
  let next = 0;
  const msg = () => {
    const bytes = bytesOf(messages[next++]!);
    u32(bytes.length);
    raw(bytes);
  };
  const header = image.header ?? row.header;
  if (header !== "none") u32(header === "common" ? IMG_COMMON : IMG_SERVICE);
  u32(row.value);
  for (const e of image.entries as unknown[]) {
    msg();
    switch (row.payload) {
      case "ghost-file":
        raw((e as GhostFileHead | GhostChunk).data);
        break;
      case "pipes-data":
      case "sk-queues":
        raw((e as PipeDataEntry | SkQueueEntry).data);
        break;
      case "tcp-stream":
        raw((e as TcpStreamEntry).inq), raw((e as TcpStreamEntry).outq);
        break;
      case "bpfmap-data":
        raw((e as BpfmapDataEntry).keys), raw((e as BpfmapDataEntry).values);
        break;
      case "ipc-sem": {
        const { values, padding } = e as IpcSemEntry;
        for (const v of values) out.push(v & 0xff, v >>> 8);
        pad(values.length * 2, 8, padding);
        break;
      }
      case "ipc-msg":
        for (const q of (e as IpcMsgEntry).messages) msg(), raw(q.data), pad(q.data.length, 8, q.padding);
        break;
      case "ipc-shm": {
        const { entry, data, padding } = e as IpcShmEntry;
        if (!entry.inPagemaps) raw(data), pad(data?.length ?? 0, 4, padding);
        break;
      }
    }
  }
  return new Uint8Array(out);
}
