import fc from "fast-check";
import type { IpcMessage, IpcMsgEntry, IpcSemEntry, IpcShmEntry } from "../../../src/image/entries";
import {
  ipc_msg_entrySchema,
  ipc_msgSchema,
  ipc_sem_entrySchema,
  ipc_shm_entrySchema,
  type ipc_msg,
  type ipc_msg_entry,
  type ipc_sem_entry,
  type ipc_shm_entry,
} from "../../../src/schema/all";
import { messageArbitrary, withFields } from "./message";
import { paddingArbitrary, withPadding } from "./padding";
import { payloadBytes } from "./sized-payload-entry";

/** ipcns-sem: `nsems` u16 values (0..5 of them), padded to 8 with zeros or kept bytes. */
export const ipcSemEntryArbitrary: fc.Arbitrary<IpcSemEntry> = fc
  .tuple(messageArbitrary(ipc_sem_entrySchema, 2), fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 5 }))
  .chain(([m, values]) =>
    paddingArbitrary(values.length * 2, 8).map((padding) =>
      withPadding({ entry: withFields(ipc_sem_entrySchema, m as ipc_sem_entry, { nsems: values.length }), values }, padding),
    ),
  );

/** One queued message: ipc_msg with msize = data.length, the text padded to 8. */
const ipcMessageArbitrary: fc.Arbitrary<IpcMessage> = fc
  .tuple(messageArbitrary(ipc_msgSchema, 1), payloadBytes)
  .chain(([m, data]) =>
    paddingArbitrary(data.length, 8).map((padding) =>
      withPadding({ msg: withFields(ipc_msgSchema, m as ipc_msg, { msize: data.length }), data }, padding),
    ),
  );

/** ipcns-msg: a queue with `qnum` = 0..3 messages. */
export const ipcMsgEntryArbitrary: fc.Arbitrary<IpcMsgEntry> = fc
  .tuple(messageArbitrary(ipc_msg_entrySchema, 2), fc.array(ipcMessageArbitrary, { maxLength: 3 }))
  .map(([m, messages]) => ({ entry: withFields(ipc_msg_entrySchema, m as ipc_msg_entry, { qnum: messages.length }), messages }));

/**
 * ipcns-shm: with in_pagemaps nothing follows the entry; otherwise (old images, in_pagemaps
 * false or absent) `size` bytes padded to 4.
 */
export const ipcShmEntryArbitrary: fc.Arbitrary<IpcShmEntry> = fc
  .tuple(messageArbitrary(ipc_shm_entrySchema, 2), payloadBytes)
  .chain(([m, data]) => {
    const entry = m as ipc_shm_entry;
    if (entry.inPagemaps) return fc.constant<IpcShmEntry>({ entry });
    return paddingArbitrary(data.length, 4).map((padding) =>
      withPadding({ entry: withFields(ipc_shm_entrySchema, entry, { size: BigInt(data.length) }), data }, padding),
    );
  });
