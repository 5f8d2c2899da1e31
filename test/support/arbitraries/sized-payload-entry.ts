import type { DescMessage, Message } from "@bufbuild/protobuf";
import fc from "fast-check";
import type { BpfmapDataEntry, PipeDataEntry, SkQueueEntry, TcpStreamEntry } from "../../../src/image/entries";
import type { PayloadKind } from "../../../src/image/magic-table";
import {
  bpfmap_data_entrySchema,
  pipe_data_entrySchema,
  sk_packet_entrySchema,
  tcp_stream_entrySchema,
  type bpfmap_data_entry,
  type pipe_data_entry,
  type sk_packet_entry,
  type tcp_stream_entry,
} from "../../../src/schema/all";
import { messageArbitrary, withFields } from "./message";

export type SizedPayloadKind = Extract<PayloadKind, "pipes-data" | "sk-queues" | "tcp-stream" | "bpfmap-data">;
export type SizedPayloadEntry = PipeDataEntry | SkQueueEntry | TcpStreamEntry | BpfmapDataEntry;

/** Raw data after an entry: short, but sometimes empty. */
export const payloadBytes = fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.constant(new Uint8Array(0)));

function sized<S extends DescMessage>(schema: S): fc.Arbitrary<Message> {
  return messageArbitrary(schema, 2);
}

/**
 * One entry of an image whose entries are a message then raw data: the data is random and
 * the message's size fields say exactly how long it is (pipe_data_entry.bytes = data.length...).
 */
export function sizedPayloadEntryArbitrary(kind: SizedPayloadKind): fc.Arbitrary<SizedPayloadEntry> {
  switch (kind) {
    case "pipes-data":
      return fc.tuple(sized(pipe_data_entrySchema), payloadBytes).map(([m, data]): PipeDataEntry => ({
        entry: withFields(pipe_data_entrySchema, m as pipe_data_entry, { bytes: data.length }),
        data,
      }));
    case "sk-queues":
      return fc.tuple(sized(sk_packet_entrySchema), payloadBytes).map(([m, data]): SkQueueEntry => ({
        entry: withFields(sk_packet_entrySchema, m as sk_packet_entry, { length: data.length }),
        data,
      }));
    case "tcp-stream":
      return fc.tuple(sized(tcp_stream_entrySchema), payloadBytes, payloadBytes).map(([m, inq, outq]): TcpStreamEntry => ({
        entry: withFields(tcp_stream_entrySchema, m as tcp_stream_entry, { inqLen: inq.length, outqLen: outq.length }),
        inq,
        outq,
      }));
    case "bpfmap-data":
      return fc.tuple(sized(bpfmap_data_entrySchema), payloadBytes, payloadBytes).map(([m, keys, values]): BpfmapDataEntry => ({
        entry: withFields(bpfmap_data_entrySchema, m as bpfmap_data_entry, { keysBytes: keys.length, valuesBytes: values.length }),
        keys,
        values,
      }));
  }
}
