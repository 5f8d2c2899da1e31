import { existsSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, type CriuImage } from "../../src/index";
import { critJsonToImageBytes, fromCritJson } from "../../src/json/from-crit";
import { fusedImageBytes } from "../../src/json/fused-encode";
import { toCritJson } from "../../src/json/to-crit";
import { IMAGE_ROWS, imageArbitrary } from "../support/arbitraries/image";
import { losslessImageArbitrary } from "../support/arbitraries/lossless-image";
import { corpusDir, corpusImages } from "../support/corpus";

// critJsonToImageBytes (JSON → wire, no message objects) must give exactly what
// encodeImage(fromCritJson()) gives: the same bytes, or the same error.

function outcome(f: () => Uint8Array): string {
  try {
    return Buffer.from(f()).toString("hex");
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const viaObjects = (text: string) => outcome(() => encodeImage(fromCritJson(text, { fileName: "in.json" }), { fileName: "in.json" }));
const direct = (text: string) => outcome(() => critJsonToImageBytes(text, { fileName: "in.json" }));

describe("JSON → image bytes agrees with the object path", () => {
  it("on crit's plain and pretty JSON of every corpus image (the original bytes)", () => {
    let checked = 0;
    for (const image of corpusImages()) {
      for (const suffix of [".json", ".pretty.json"]) {
        if (!existsSync(image.critBase + suffix)) continue;
        const bytes = critJsonToImageBytes(readFileSync(image.critBase + suffix, "utf8"));
        expect(Buffer.from(bytes).equals(readFileSync(image.abs)), image.critBase + suffix).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it.each(IMAGE_ROWS.filter((r) => r.payload === "entry" || r.payload === "pagemap" || r.payload === "pipes-data").map((r) => [r.name, r] as const))(
    "on random %s images and their lossless forms, plain and pretty",
    (_, row) => {
      const plain = imageArbitrary(row, { maxEntries: 3, depth: 3 }).map((image) => encodeImage(image));
      const odd = losslessImageArbitrary(row).map((l) => l.bytes);
      fc.assert(
        fc.property(fc.oneof(plain, odd), fc.boolean(), (bytes, pretty) => {
          const text = toCritJson(decodeImage(bytes) as CriuImage, { pretty });
          expect(direct(text)).toBe(viaObjects(text));
          expect(direct(text)).toBe(Buffer.from(bytes).toString("hex"));
        }),
        { numRuns: 25 },
      );
    },
  );

  it.each([
    '{"magic": "PSTREE", "entries": [{"pid": 1}]}',
    '{"magic": "PSTREE", "entries": [{"pid": 1, "ppid": 0, "pgid": 1, "sid": 1, "bogus": 1}]}',
    '{"magic": "PSTREE", "entries": [{"pid": -1, "ppid": 0, "pgid": 1, "sid": 1}]}',
    '{"magic": "PSTREE", "entries": [{"pid": "0x10", "ppid": 0, "pgid": 1, "sid": 1, "threads": ["0b11"]}]}',
    '{"magic": "INVENTORY", "entries": [{"img_version": 2, "lsmtype": 7}]}',
    '{"magic": "FDINFO", "entries": [{"id": 1, "flags": 2, "type": "NOPE", "fd": 3}]}',
    '{"magic": "PSTREE", "entries": [], "more": 1}',
    '{"magic": "SHMEM_PAGEMAP", "entries": [{"pages_id": 1}]}',
    // Cases the one-pass encoder must leave to the parsing path (or get exactly right).
    '{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "bytes": 2, "extra": "AAAA\\n"}]}',
    '{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "bytes": 3, "extra": "AAAA\\n"}]}',
    '{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "bytes": 3, "extra": "\\u0041AAA\\n"}]}',
    '{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "bytes": 3, "extra": "... <3 bytes>"}]}',
    '{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "bytes": 3}]}',
    '{"magic": "PIPES_DATA", "entries": [{"pipe_id": 1, "extra": "AAAA\\n", "bytes": 3}]}',
    '{"magic": "PSTREE", "entries": [{"pid": "0x100000000", "ppid": 0, "pgid": 1, "sid": 1}]}',
    '{"magic": "PSTREE", "entries": [{"pid": 1, "ppid": -0, "pgid": 1, "sid": 1}]}',
    '{"magic": "PSTREE", "entries": [{"pid": 1, "ppid": 0, "pgid": 1, "sid": 1}, {"pid": 2, "pid": 3, "ppid": 0, "pgid": 1, "sid": 1}]}',
    '{"magic": "PAGEMAP", "entries": [{"pages_id": 1}, {"vaddr": 18446744073709551615, "nr_pages": 1, "flags": 2}]}',
    '{"magic": "PAGEMAP", "entries": [{"pages_id": 1}, {"vaddr": 18446744073709551616, "nr_pages": 1, "flags": 2}]}',
    '{"magic": "PAGEMAP", "entries": [{"pages_id": 1}, {"vaddr": "0xffffffffffffffff", "nr_pages": 1, "flags": "PE_PRESENT | 0x8"}]}',
    '{"magic": "PAGEMAP", "entries": [{"pages_id": 1}, {"vaddr": 9007199254740993, "nr_pages": 1, "flags": 2}]}',
    '{"magic": "FDINFO", "entries": [{"id": 1, "flags": 2, "type": 1, "fd": 3}]}',
    '{"magic": "FDINFO", "entries": [{"id": 1, "flags": 2, "type": "REG", "fd": 3}]} x',
    '\ufeff{"magic": "PSTREE", "entries": []}',
  ])("same result for %s", (text) => {
    expect(direct(text)).toBe(viaObjects(text));
  });
});

// The one-pass encoder (fused-encode.ts) gives up on anything unusual and lets the parsing path
// answer; it must never answer differently: not on crit's JSON, not on broken or edited JSON.
describe("the one-pass JSON encoder", () => {
  const rows = IMAGE_ROWS.filter((r) => r.payload === "entry" || r.payload === "pagemap" || r.payload === "pipes-data");
  const fused = (text: string) => {
    const out = fusedImageBytes(new TextEncoder().encode(text));
    return out && Buffer.from(out).toString("hex");
  };

  it("takes crit's own JSON of the corpus's message images, pagemaps and pipe data", () => {
    let taken = 0;
    let offered = 0;
    for (const image of corpusImages()) {
      for (const suffix of [".json", ".pretty.json"]) {
        if (!existsSync(image.critBase + suffix)) continue;
        const text = readFileSync(image.critBase + suffix, "utf8");
        if (!rows.some((r) => text.startsWith(`{"magic": "${r.name}"`) || text.startsWith(`{\n    "magic": "${r.name}"`))) continue;
        offered++;
        const out = fused(text);
        if (out === undefined) continue;
        taken++;
        expect(out, image.critBase + suffix).toBe(readFileSync(image.abs).toString("hex"));
      }
    }
    expect(offered).toBeGreaterThan(1000);
    expect(taken / offered).toBeGreaterThan(0.95);
  });

  it("writes sint64 values (a VMA's fd) as the parsing path does, small and beyond 2^51", () => {
    const base = readFileSync(`${corpusDir}proc-minimal/crit/mm-26637.img.json`, "utf8");
    for (const fd of ["0", "7", "2251799813685247", "-2251799813685248", "2251799813685248", "-4503599627370497", "9223372036854775807", "-9223372036854775808"]) {
      const text = base.replace('"fd": -1', `"fd": ${fd}`);
      expect(text).not.toBe(base);
      expect(fused(text), fd).toBe(viaObjects(text));
    }
  });

  const edit = fc.record({
    at: fc.nat(),
    len: fc.integer({ min: 0, max: 3 }),
    insert: fc.constantFrom("", "0", "-", "1", '"', "\\", "\\n", ",", ":", "{", "}", "[", "]", " ", "x", "e5", ".5", "null", "true", '"extra": "AA==\\n", ', '"pid": 1, ', "\u00e9", "\\u0041"),
  });

  it.each(rows.map((r) => [r.name, r] as const))("agrees with the parsing path on edited %s JSON", (_, row) => {
    fc.assert(
      fc.property(imageArbitrary(row, { maxEntries: 3, depth: 3 }), fc.boolean(), fc.array(edit, { minLength: 1, maxLength: 3 }), (image, pretty, edits) => {
        let text = toCritJson(image, { pretty });
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.len);
        }
        const out = fused(text);
        if (out !== undefined) expect(out).toBe(viaObjects(text));
      }),
      { numRuns: 40 },
    );
  });
});

