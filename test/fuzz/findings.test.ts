// Every input of test/fixtures/fuzz-findings (issue #16's campaign, and whatever `npm run fuzz`
// saves there) passes the fuzzer's checks; and each finding's own expectation, stated here.

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  critJsonToImageBytes,
  CritJsonError,
  decodeImage,
  encodeImage,
  fromCritJson,
  ImageError,
  imageBytesToCritJson,
  toCritJson,
} from "../../src/index";
import { fixturesDir } from "../support/fixtures";
import { checkExplorers, checkImageBytes, checkJsonText, checkStreams } from "../support/fuzz-oracle";

const dir = `${fixturesDir}fuzz-findings/`;
const inputs = readdirSync(dir).filter((f) => f !== "INDEX.tsv" && !f.endsWith(".md")).sort();
const bytesOf = (name: string) => new Uint8Array(readFileSync(dir + name));
const textOf = (name: string) => readFileSync(dir + name, "utf8");

/** The image's file name the finding stands for: `F1-missing-required.pstree.img` → `pstree.img`. */
function imageName(file: string): string {
  const parts = file.replace(/\.bin$/, "").split(".");
  return parts.slice(1).join(".");
}

function error(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

describe("the fuzzer's checks hold on every saved finding", () => {
  it("has the campaign's inputs", () => expect(inputs.length).toBeGreaterThanOrEqual(16));

  it.each(inputs)("%s", async (file) => {
    if (file.endsWith(".json")) {
      expect(checkJsonText(textOf(file), imageName(file)).problems).toEqual([]);
      return;
    }
    const bytes = bytesOf(file);
    expect(checkImageBytes(bytes, imageName(file)).problems).toEqual([]);
    expect(await checkStreams(bytes, imageName(file))).toEqual([]);
    if (imageName(file) === "pstree.img") expect(checkExplorers({ "pstree.img": bytes })).toEqual([]);
  }, 120_000);
});

describe("the rule: what protobuf-c would not read is an ImageError at decode (README)", () => {
  it.each([
    ["F1-missing-required.pstree.img", "the required field pstree_entry.sid"],
    ["F1b-empty-entry.pstree.img", "the required field pstree_entry.pid"],
    ["F2-varint-overruns-submessage.timens-0.img", "a varint inside the timespec message"],
    ["F3-render-illegal-tag.timens-0.img", "a field tag inside the timespec message"],
    ["F3b-render-illegal-tag.timens-0.img", "a varint inside the timespec message"],
    ["F4-json-untyped-required.timens-0.img", "the required field timespec.tv_nsec"],
    ["S1-stream-reuse-untyped.ids-7.img.bin", "wire type 0 for task_kobj_ids_entry.uts_ns_id, not 1"],
  ])("%s: %s", (file, expected) => {
    const fileName = imageName(file);
    const err = error(() => decodeImage(bytesOf(file), { fileName }));
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).kind).toBe("bad-message");
    expect((err as ImageError).expected).toBe(expected);
    expect((err as ImageError).message).toContain(fileName);
    // The fast path gives the same error.
    expect(error(() => imageBytesToCritJson(bytesOf(file), { fileName }))).toEqual(err);
  });
});

describe("the canonical form through JSON (F5: counted by the fuzzer, documented in the README)", () => {
  it.each(["F5a-overlong-tag.pstree.img", "F5b-overlong-value.pstree.img", "F5c-duplicate-field.pstree.img", "F5d-field-order.pstree.img"])(
    "%s: exact through the image codec, canonical through JSON, the same values",
    (file) => {
      const bytes = bytesOf(file);
      const outcome = checkImageBytes(bytes, "pstree.img");
      expect(outcome.problems).toEqual([]);
      expect(outcome.canonicalized).toBe(true);
      const json = toCritJson(decodeImage(bytes));
      const canonical = critJsonToImageBytes(json);
      expect(Buffer.from(canonical).equals(Buffer.from(bytes))).toBe(false);
      expect(toCritJson(decodeImage(canonical))).toBe(json);
      expect(Buffer.from(encodeImage(decodeImage(bytes))).equals(Buffer.from(bytes))).toBe(true);
    },
  );

  it("F5c: the last of a duplicated field wins, as in protobuf", () => {
    expect(toCritJson(decodeImage(bytesOf("F5c-duplicate-field.pstree.img")))).toContain('"pid": 2');
  });
});

describe("JSON cannot say more than it shows", () => {
  it("J1: an @unknown record of a known field is refused", () => {
    for (const encode of [(t: string) => critJsonToImageBytes(t), (t: string) => encodeImage(fromCritJson(t))]) {
      const err = error(() => encode(textOf("J1-unknown-overrides-known-field.json")));
      expect(err).toBeInstanceOf(CritJsonError);
      expect((err as CritJsonError).path).toBe('$.entries[0]["@unknown"]');
      expect((err as CritJsonError).message).toContain("not of its field pid (1)");
    }
  });

  it("J1: an unknown value of an enum field is still an @unknown record (how toCritJson writes it)", () => {
    // fdinfo_entry {id: 1, flags: 0, type: 99 (no such fd_types), fd: 3}
    const message = [0x08, 1, 0x10, 0, 0x18, 99, 0x20, 3];
    const bytes = new Uint8Array([0x19, 0x43, 0x56, 0x54 /* IMG_COMMON */, 0x32, 0x37, 0x21, 0x56 /* FDINFO */, message.length, 0, 0, 0, ...message]);
    const json = toCritJson(decodeImage(bytes));
    expect(json).toContain('"@unknown": [[2, 3, ');
    expect(Buffer.from(critJsonToImageBytes(json)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(encodeImage(fromCritJson(json))).equals(Buffer.from(bytes))).toBe(true);
  });

  it("J2: an @unknown record in a sub-message for its known field is refused, by both paths", () => {
    for (const encode of [(t: string) => critJsonToImageBytes(t), (t: string) => encodeImage(fromCritJson(t))]) {
      const err = error(() => encode(textOf("J2-unknown-wiretype-core.json")));
      expect(err).toBeInstanceOf(CritJsonError);
      expect((err as CritJsonError).path).toBe('$.entries[0].thread_core.signals_p["@unknown"]');
    }
  });

  it("F4's JSON (a required field missing beside an @unknown record): a CritJsonError naming the field", () => {
    const json = '{"magic": "TIMENS", "entries": [{"monotonic": {"tv_sec": 1, "@unknown": [[1, 9, "SAE=\\n"]]}, "boottime": {"tv_sec": 3, "tv_nsec": 4}}]}';
    for (const encode of [(t: string) => critJsonToImageBytes(t), (t: string) => encodeImage(fromCritJson(t))]) {
      const err = error(() => encode(json));
      expect(err).toBeInstanceOf(CritJsonError);
      expect((err as CritJsonError).message).toContain("timespec.tv_nsec");
    }
  });

  it("J3: an ipc_shm entry kept in pagemaps with an \"extra\" is refused (it would write hidden entries)", () => {
    for (const encode of [(t: string) => critJsonToImageBytes(t), (t: string) => encodeImage(fromCritJson(t))]) {
      const err = error(() => encode(textOf("J3-shm-extra-hidden-entry.json")));
      expect(err).toBeInstanceOf(CritJsonError);
      expect((err as CritJsonError).path).toBe("$.entries[0].extra");
    }
  });

  it.each(["GHOST_FILE", "PAGEMAP", "SHMEM_PAGEMAP"])("J4: %s without its first entry is refused by the encoders", (magic) => {
    const json = `{"magic": "${magic}", "entries": []}`;
    for (const encode of [(t: string) => critJsonToImageBytes(t), (t: string) => encodeImage(fromCritJson(t))]) {
      const err = error(() => encode(json));
      expect(err).toBeInstanceOf(ImageError);
      expect((err as ImageError).kind).toBe("bad-entry");
    }
    expect(textOf("J4-ghost-no-entries.json")).toContain('"GHOST_FILE"');
  });
});
