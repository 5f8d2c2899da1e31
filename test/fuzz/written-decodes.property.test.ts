// What the JSON encoders write, the decoder reads back as the JSON showed it, or the encoders
// refuse it with a typed error: ipcns-shm entries with any size (up to 2^32-1, where rounding the
// payload to 4 bytes overflows 32 bits) and any payload, and ghost-file images with any mix of
// chunks, lengths and payloads. (Issue #16's two findings that were not reproduced as files.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { critJsonToImageBytes, CritJsonError, decodeImage, encodeImage, fromCritJson, ImageError, toCritJson } from "../../src/index";
import { corpusDir, readBytes } from "../support/corpus";

const textOf = (path: string) => new TextDecoder().decode(readBytes(path));
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** Both JSON → image paths; each gives the bytes or the typed error. */
function encodeBoth(json: string): (Uint8Array | Error)[] {
  const attempt = (f: () => Uint8Array) => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof CritJsonError || err instanceof ImageError)) throw err;
      return err;
    }
  };
  return [attempt(() => critJsonToImageBytes(json)), attempt(() => encodeImage(fromCritJson(json)))];
}

const outcomes = { written: 0, refused: 0 };

/** The encoders agree, and what they wrote decodes to the entries the JSON had. */
function checkWrittenReadsBack(json: string, shown: (value: Record<string, unknown>) => unknown): void {
  const [a, b] = encodeBoth(json);
  expect(a instanceof Error).toBe(b instanceof Error);
  outcomes[a instanceof Error ? "refused" : "written"]++;
  if (a instanceof Error) return;
  expect(Buffer.from(a!).equals(Buffer.from(b as Uint8Array))).toBe(true);
  const back = JSON.parse(toCritJson(decodeImage(a!))) as Record<string, unknown>;
  expect(shown(back)).toEqual(shown(JSON.parse(json)));
}

describe("ipcns-shm: any size and payload", () => {
  const template = JSON.parse(textOf(`${corpusDir}ns-ipc/crit/ipcns-shm-9.img.json`));
  const size = fc.oneof(fc.constantFrom(0, 1, 3, 4, 5, 4095, 4096, 2 ** 31, 2 ** 32 - 5, 2 ** 32 - 4, 2 ** 32 - 3, 2 ** 32 - 1), fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }));

  it("is read back as written, or refused with a typed error", () => {
    fc.assert(
      fc.property(size, fc.boolean(), fc.option(fc.uint8Array({ maxLength: 72 }), { nil: undefined }), (n, inPagemaps, payload) => {
        const doc = structuredClone(template);
        const entry = doc.entries[0];
        entry.size = n;
        entry.in_pagemaps = inPagemaps;
        if (payload === undefined) delete entry.extra;
        else if (!inPagemaps) entry.extra = base64(payload);
        const pick = (v: Record<string, unknown>) => (v.entries as Record<string, unknown>[]).map((e) => [e.size, e.in_pagemaps ?? false, e.in_pagemaps ? null : e.extra && Buffer.from(String(e.extra), "base64").toString("hex")]);
        checkWrittenReadsBack(JSON.stringify(doc), pick);
      }),
      { numRuns: 400 },
    );
    // Both outcomes happen: the property is not vacuous.
    expect(outcomes.written).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
    outcomes.written = outcomes.refused = 0;
  });

  it("2^32-1 bytes announced with a short payload is refused, naming the entry", () => {
    const doc = structuredClone(template);
    Object.assign(doc.entries[0], { size: 2 ** 32 - 1, in_pagemaps: false, extra: "AAAA" });
    for (const result of encodeBoth(JSON.stringify(doc))) {
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toMatch(/entry 0.*4294967295 bytes/);
    }
  });
});

describe("ghost-file: any chunks, lengths and payloads", () => {
  const template = JSON.parse(textOf(`${corpusDir}proc-ghost/crit/ghost-file-1.img.json`));
  const head = template.entries[0];
  const chunk = fc.record({ len: fc.integer({ min: 0, max: 64 }), off: fc.integer({ min: 0, max: 2 ** 20 }), data: fc.uint8Array({ maxLength: 64 }) });

  it("is read back as written, or refused with a typed error", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.option(fc.integer({ min: 0, max: 2 ** 32 }), { nil: undefined }), fc.array(chunk, { maxLength: 3 }), fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }), fc.boolean(), (chunks, size, parts, plain, noEntries) => {
        const first = { ...head };
        delete first.extra;
        if (chunks) first.chunks = true;
        else delete first.chunks;
        if (size === undefined) delete first.size;
        else first.size = size;
        if (!chunks && plain !== undefined) first.extra = base64(plain);
        const entries = noEntries ? [] : [first, ...(chunks ? parts.map((p) => ({ len: p.len, off: p.off, extra: base64(p.data) })) : [])];
        // Payloads compared as bytes (crit's base64 ends lines with "\n"); a plain ghost file
        // without "extra" is an empty one, shown back as "".
        const bytesOf = (e: Record<string, unknown>) => Buffer.from(String(e.extra ?? ""), "base64").toString("hex");
        const pick = (v: Record<string, unknown>) =>
          (v.entries as Record<string, unknown>[]).map((e, i) => (i === 0 && !e.chunks) || i > 0 ? { ...e, extra: bytesOf(e) } : e);
        checkWrittenReadsBack(JSON.stringify({ magic: "GHOST_FILE", entries }), pick);
      }),
      { numRuns: 400 },
    );
    // Both outcomes happen: the property is not vacuous.
    expect(outcomes.written).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
    outcomes.written = outcomes.refused = 0;
  });
});
