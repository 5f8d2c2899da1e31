import type { DescMessage } from "@bufbuild/protobuf";
import type { pagemap_entry, pagemap_head } from "../../schema/all";
import { criuMessageSchema } from "../../schema/registry";
import { readMessage, writeMessage } from "../message";
import type { EntryCodec } from "./codec";

/** pagemap-*.img: one pagemap_head (which pages-N.img holds the data), then pagemap_entry records. */
export const pagemap: EntryCodec<pagemap_head | pagemap_entry> = {
  read(r, index) {
    return index === 0 ? readMessage(r, criuMessageSchema("pagemap_head")) : readMessage(r, criuMessageSchema("pagemap_entry"));
  },
  write(w, entry, index) {
    if (index === 0) writeMessage(w, criuMessageSchema("pagemap_head"), entry as pagemap_head);
    else writeMessage(w, criuMessageSchema("pagemap_entry"), entry as pagemap_entry);
  },
};

/** Images whose every entry is one message of `schema`, nothing after it. */
export function messagesOnly(schema: DescMessage): EntryCodec {
  return {
    read: (r) => readMessage(r, schema),
    write: (w, entry) => writeMessage(w, schema, entry as never),
  };
}
