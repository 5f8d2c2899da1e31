import type { DescMessage } from "@bufbuild/protobuf";
import { pagemap_entrySchema, pagemap_headSchema, type pagemap_entry, type pagemap_head } from "../../schema/all";
import { readMessage, writeMessage } from "../message";
import type { EntryCodec } from "./codec";

/** pagemap-*.img: one pagemap_head (which pages-N.img holds the data), then pagemap_entry records. */
export const pagemap: EntryCodec<pagemap_head | pagemap_entry> = {
  read(r, index) {
    return index === 0 ? readMessage(r, pagemap_headSchema) : readMessage(r, pagemap_entrySchema);
  },
  write(w, entry, index) {
    if (index === 0) writeMessage(w, pagemap_headSchema, entry as pagemap_head);
    else writeMessage(w, pagemap_entrySchema, entry as pagemap_entry);
  },
};

/** Images whose every entry is one message of `schema`, nothing after it. */
export function messagesOnly(schema: DescMessage): EntryCodec {
  return {
    read: (r) => readMessage(r, schema),
    write: (w, entry) => writeMessage(w, schema, entry as never),
  };
}
