import type { MessageShape } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import type { CriuMessages } from "../../schema/all";
import { criuMessageSchema } from "../../schema/registry";
import type { BpfmapDataEntry, PipeDataEntry, SkQueueEntry, TcpStreamEntry } from "../entries";
import { readMessage, writeMessage } from "../message";
import { byteCount, checkLength, type EntryCodec } from "./codec";

/** An entry whose message (schema looked up on first use) announces how many raw bytes follow it. */
function messageThenBytes<K extends keyof CriuMessages>(
  typeName: K,
  size: (entry: MessageShape<GenMessage<CriuMessages[K]>>) => number,
  what: string,
): EntryCodec<{ entry: MessageShape<GenMessage<CriuMessages[K]>>; data: Uint8Array }> {
  return {
    read(r) {
      const entry = readMessage(r, criuMessageSchema(typeName));
      return { entry, data: r.take(byteCount(r, size(entry), what), what) };
    },
    write(w, { entry, data }) {
      checkLength(data.length, size(entry), what);
      writeMessage(w, criuMessageSchema(typeName), entry);
      w.bytes(data);
    },
  };
}

/** pipes-data.img / fifo-data.img: pipe_data_entry, then `bytes` bytes of pipe contents. */
export const pipesData: EntryCodec<PipeDataEntry> = messageThenBytes("pipe_data_entry", (e) => e.bytes, "pipe data");

/** sk-queues.img: sk_packet_entry, then `length` bytes of the queued packet. */
export const skQueues: EntryCodec<SkQueueEntry> = messageThenBytes("sk_packet_entry", (e) => e.length, "packet data");

/** tcp-stream-*.img: tcp_stream_entry, then the receive queue, then the send queue. */
export const tcpStream: EntryCodec<TcpStreamEntry> = {
  read(r) {
    const entry = readMessage(r, criuMessageSchema("tcp_stream_entry"));
    const inq = r.take(byteCount(r, entry.inqLen, "receive queue"), "receive queue");
    const outq = r.take(byteCount(r, entry.outqLen, "send queue"), "send queue");
    return { entry, inq, outq };
  },
  write(w, { entry, inq, outq }) {
    checkLength(inq.length, entry.inqLen, "receive queue");
    checkLength(outq.length, entry.outqLen, "send queue");
    writeMessage(w, criuMessageSchema("tcp_stream_entry"), entry);
    w.bytes(inq);
    w.bytes(outq);
  },
};

/** bpfmap-data.img: bpfmap_data_entry, then `keys_bytes` of keys and `values_bytes` of values. */
export const bpfmapData: EntryCodec<BpfmapDataEntry> = {
  read(r) {
    const entry = readMessage(r, criuMessageSchema("bpfmap_data_entry"));
    const keys = r.take(byteCount(r, entry.keysBytes, "map keys"), "map keys");
    const values = r.take(byteCount(r, entry.valuesBytes, "map values"), "map values");
    return { entry, keys, values };
  },
  write(w, { entry, keys, values }) {
    checkLength(keys.length, entry.keysBytes, "map keys");
    checkLength(values.length, entry.valuesBytes, "map values");
    writeMessage(w, criuMessageSchema("bpfmap_data_entry"), entry);
    w.bytes(keys);
    w.bytes(values);
  },
};
