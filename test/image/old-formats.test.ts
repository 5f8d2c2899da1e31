import { create, createFileRegistry, isFieldSet, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, IMG_COMMON, ipc_shm_entrySchema, pagemap_entrySchema, type CriuImage } from "../../src/index";
import { corpusImages, readBytes } from "../support/corpus";
import { releaseSchema } from "../support/fixtures";

const IPCNS_SHM = 0x46283044;

function u32(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v, true);
  return out;
}

describe("images in older formats", () => {
  it("reads a pre-3.0 ipcns-shm image with inline contents padded to 4, and writes it back", () => {
    // CRIU 2.12's schema has no in_pagemaps: the segment's bytes follow each entry.
    const v212 = createFileRegistry(releaseSchema("v2.12"));
    const oldShm = v212.getMessage("ipc_shm_entry") as DescMessage;
    expect(oldShm.fields.map((f) => f.name)).not.toContain("in_pagemaps");
    const desc = { key: 7, uid: 0, gid: 0, cuid: 0, cgid: 0, mode: 0o600, id: 3 };
    const segments = [new Uint8Array([1, 2, 3, 4, 5, 6, 7]), new Uint8Array([9, 9, 9, 9])];
    const parts: Uint8Array[] = [u32(IMG_COMMON), u32(IPCNS_SHM)];
    for (const data of segments) {
      const entry = toBinary(oldShm, create(oldShm, { desc, size: BigInt(data.length) }));
      const pad = (4 - (data.length % 4)) % 4;
      parts.push(u32(entry.length), entry, data, new Uint8Array(pad));
    }
    const bytes = Buffer.concat(parts);
    const image = decodeImage(bytes, { expect: "IPCNS_SHM", fileName: "ipcns-shm-9.img" });
    expect(image.entries).toHaveLength(2);
    expect(image.entries[0]!.data).toEqual(segments[0]);
    expect(image.entries[0]!.entry.inPagemaps).toBe(false);
    expect(isFieldSet(image.entries[0]!.entry, ipc_shm_entrySchema.field.inPagemaps)).toBe(false);
    expect(image.entries[1]!.data).toEqual(segments[1]);
    expect(Buffer.from(encodeImage(image)).equals(bytes)).toBe(true);
  });

  it("keeps non-zero padding bytes", () => {
    const entry = toBinary(ipc_shm_entrySchema, create(ipc_shm_entrySchema, { desc: { key: 1, uid: 0, gid: 0, cuid: 0, cgid: 0, mode: 0, id: 1 }, size: 1n }));
    const bytes = Buffer.concat([u32(IMG_COMMON), u32(IPCNS_SHM), u32(entry.length), entry, new Uint8Array([0x41, 0xee, 0xee, 0xee])]);
    const image = decodeImage(bytes, { expect: "IPCNS_SHM" });
    expect(image.entries[0]!.padding).toEqual(new Uint8Array([0xee, 0xee, 0xee]));
    expect(Buffer.from(encodeImage(image)).equals(bytes)).toBe(true);
  });

  const oldDumps = corpusImages().filter((i) => /^old-v(3\.17|3\.19|4\.0|4\.1)/.test(i.scenario));

  it("reads pagemaps of CRIU 3.17-4.1 that have only compat_nr_pages", () => {
    const pagemaps = oldDumps.filter((i) => i.name.startsWith("pagemap-"));
    expect(pagemaps.length).toBeGreaterThan(10);
    for (const item of pagemaps) {
      const bytes = readBytes(item.abs);
      const image = decodeImage(bytes, { expect: "PAGEMAP", fileName: item.name }) as CriuImage<"PAGEMAP">;
      const [, ...entries] = image.entries;
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) {
        expect(isFieldSet(e, pagemap_entrySchema.field.nrPages)).toBe(false);
        expect(e.compatNrPages).toBeGreaterThan(0);
      }
      expect(Buffer.from(encodeImage(image)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it("re-encodes every image of the CRIU 3.17, 3.19, 4.0 and 4.1 dumps exactly", () => {
    expect(new Set(oldDumps.map((i) => i.scenario)).size).toBeGreaterThanOrEqual(8);
    for (const item of oldDumps) {
      const bytes = readBytes(item.abs);
      const image = decodeImage(bytes, { fileName: item.name });
      expect(Buffer.from(encodeImage(image)).equals(Buffer.from(bytes)), item.abs).toBe(true);
    }
  });
});
