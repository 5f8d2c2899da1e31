import type { DescMessage } from "@bufbuild/protobuf";
import type { PayloadKind } from "../magic-table";
import type { EntryCodec } from "./codec";
import { ghostFile } from "./ghost-file";
import { ipcMsg, ipcSem, ipcShm } from "./ipc";
import { messagesOnly, pagemap } from "./pagemap";
import { bpfmapData, pipesData, skQueues, tcpStream } from "./simple";

export type { EntryCodec } from "./codec";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each codec has its own entry type
const byKind: Record<Exclude<PayloadKind, "entry">, EntryCodec<any>> = {
  pagemap,
  "ghost-file": ghostFile,
  "pipes-data": pipesData,
  "sk-queues": skQueues,
  "tcp-stream": tcpStream,
  "ipc-sem": ipcSem,
  "ipc-msg": ipcMsg,
  "ipc-shm": ipcShm,
  "bpfmap-data": bpfmapData,
};

const plain = new WeakMap<DescMessage, EntryCodec>();

/** The codec for one entry of an image with this payload kind and entry message. */
export function entryCodec(kind: PayloadKind, schema: DescMessage): EntryCodec<unknown> {
  if (kind !== "entry") return byKind[kind] as EntryCodec<unknown>;
  let codec = plain.get(schema);
  if (!codec) plain.set(schema, (codec = messagesOnly(schema)));
  return codec;
}
