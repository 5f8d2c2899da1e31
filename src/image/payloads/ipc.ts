import { criuMessageSchema } from "../../schema/registry";
import type { IpcMessage, IpcMsgEntry, IpcSemEntry, IpcShmEntry } from "../entries";
import { ImageError } from "../errors";
import { readMessage, writeMessage } from "../message";
import { byteCount, checkLength, readPadding, writePadding, type EntryCodec } from "./codec";

/** ipcns-sem-*.img: ipc_sem_entry, then `nsems` u16 values, zero-padded to a multiple of 8. */
export const ipcSem: EntryCodec<IpcSemEntry> = {
  read(r) {
    const entry = readMessage(r, criuMessageSchema("ipc_sem_entry"));
    const size = byteCount(r, entry.nsems * 2, "semaphore values");
    r.require(size, "semaphore values");
    const values: number[] = [];
    for (let i = 0; i < entry.nsems; i++) values.push(r.u16("a semaphore value"));
    const padding = readPadding(r, size, 8);
    return padding ? { entry, values, padding } : { entry, values };
  },
  write(w, { entry, values, padding }) {
    if (values.length !== entry.nsems) {
      throw new ImageError({ kind: "bad-entry", expected: `${entry.nsems} semaphore values as nsems says, not ${values.length}` });
    }
    writeMessage(w, criuMessageSchema("ipc_sem_entry"), entry);
    for (const v of values) w.u16(v);
    writePadding(w, values.length * 2, 8, padding);
  },
};

/** ipcns-msg-*.img: ipc_msg_entry, then `qnum` times ipc_msg and `msize` bytes padded to 8. */
export const ipcMsg: EntryCodec<IpcMsgEntry> = {
  read(r) {
    const entry = readMessage(r, criuMessageSchema("ipc_msg_entry"));
    const messages: IpcMessage[] = [];
    for (let i = 0; i < entry.qnum; i++) {
      const msg = readMessage(r, criuMessageSchema("ipc_msg"));
      const data = r.take(byteCount(r, msg.msize, "message text"), "message text");
      const padding = readPadding(r, data.length, 8);
      messages.push(padding ? { msg, data, padding } : { msg, data });
    }
    return { entry, messages };
  },
  write(w, { entry, messages }) {
    if (messages.length !== entry.qnum) {
      throw new ImageError({ kind: "bad-entry", expected: `${entry.qnum} queued messages as qnum says, not ${messages.length}` });
    }
    writeMessage(w, criuMessageSchema("ipc_msg_entry"), entry);
    for (const { msg, data, padding } of messages) {
      checkLength(data.length, msg.msize, "message text");
      writeMessage(w, criuMessageSchema("ipc_msg"), msg);
      w.bytes(data);
      writePadding(w, data.length, 8, padding);
    }
  },
};

/**
 * ipcns-shm-*.img: ipc_shm_entry; with `in_pagemaps` the contents live in a shmem pagemap and
 * nothing follows, otherwise (old images) `size` bytes follow, zero-padded to a multiple of 4.
 */
export const SHM_IN_PAGEMAPS =
  "no payload for a segment kept in pagemaps (in_pagemaps); crit 4.2 puts the following entries there, which would be written as entries the JSON does not show: decode the image again with this crit, which lists them";

export const ipcShm: EntryCodec<IpcShmEntry> = {
  read(r) {
    const entry = readMessage(r, criuMessageSchema("ipc_shm_entry"));
    if (entry.inPagemaps) return { entry };
    const data = r.take(byteCount(r, entry.size, "segment contents"), "segment contents");
    const padding = readPadding(r, data.length, 4);
    return padding ? { entry, data, padding } : { entry, data };
  },
  write(w, { entry, data, padding }) {
    writeMessage(w, criuMessageSchema("ipc_shm_entry"), entry);
    if (entry.inPagemaps) {
      // No payload belongs here. crit 4.2's JSON puts the bytes that followed the entry (the
      // next entries) into its "extra": written back, they would be entries the JSON does not
      // show, so they are refused (the decoder reads such an image as separate entries).
      if (data && data.length > 0) throw new ImageError({ kind: "bad-entry", expected: SHM_IN_PAGEMAPS });
      return;
    }
    const bytes = data ?? new Uint8Array(0);
    checkLength(bytes.length, entry.size, "segment contents");
    w.bytes(bytes);
    writePadding(w, bytes.length, 4, padding);
  },
};
