import "../support/compile-at-once";
import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, type CriuImage } from "../../src/index";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { fromCritJson } from "../../src/json/to-image/from-crit";
import { fusedImageBytes } from "../../src/json/to-image/fused-encode";
import { criuRegistry } from "../../src/schema/registry";

// The one-pass encoder's integers in the shapes that take its fast paths: flag fields whose
// texts recur (a text read once is then matched in place, by its closing quote and last byte
// first), "0x…" and decimal 64-bit values of every size, sint64 below zero. Each document is read
// by the compiled code and by the interpreter, and both must give the parsing path's bytes
// (encodeImage(fromCritJson(...)), which reads no text in place). The texts a flag field
// remembers outlive a document, so many documents in a row exercise both what is remembered and
// what is new; the same JSON with a byte changed inside a flag text or a number must still agree.
// And whitespace: runs of every length and mix where crit writes them and where it does not.

const utf8 = new TextEncoder();
const vmaSchema = criuRegistry.getMessage("vma_entry")!;
const mmSchema = criuRegistry.getMessage("mm_entry")!;

const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: 0n, max: 2n ** 52n }),
  fc.constantFrom(0n, 2n ** 52n - 1n, 2n ** 52n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n),
);
const s64 = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(-1n, 0n, -(2n ** 63n)));
/** Flag words: a few values that recur (known bits, known bits with unknown ones), or any. */
const flags = (common: number[]) => fc.oneof(fc.constantFrom(...common), fc.nat({ max: 0xffff }), fc.nat({ max: 0xffffffff }));

const vma = fc.record({
  start: u64,
  end: u64,
  pgoff: u64,
  shmid: u64,
  prot: flags([0, 1, 3, 5, 7, 8]),
  flags: flags([0x1, 0x2, 0x22, 0x4022, 0x122, 0x11]),
  status: flags([0x41, 0x201, 0x243, 0x1201, 0x10201]),
  fd: s64,
  fdflags: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }),
});

function mmImage(vmas: object[]): CriuImage {
  const mm = create(mmSchema, {
    mmStartCode: 1n,
    mmEndCode: 2n,
    mmStartData: 3n,
    mmEndData: 4n,
    mmStartStack: 5n,
    mmStartBrk: 6n,
    mmBrk: 7n,
    mmArgStart: 8n,
    mmArgEnd: 9n,
    mmEnvStart: 10n,
    mmEnvEnd: 11n,
    exeFileId: 12,
    vmas: vmas.map((v) => create(vmaSchema, v as never)),
  });
  return { magic: "MM", entries: [mm] } as unknown as CriuImage;
}

/** The parsing path's bytes (hex) or "error": the oracle. */
function parsed(json: Uint8Array): string {
  try {
    return Buffer.from(encodeImage(fromCritJson(new TextDecoder().decode(json)))).toString("hex");
  } catch {
    return "error";
  }
}

/** The one-pass encoder's bytes (hex), undefined where it leaves the document to the parser, or "error". */
function fused(json: Uint8Array, interpret: boolean): string | undefined {
  try {
    const out = fusedImageBytes(json, { interpret });
    return out && Buffer.from(out).toString("hex");
  } catch {
    return "error";
  }
}

function agree(json: Uint8Array): boolean {
  const want = parsed(json);
  const compiled = fused(json, false);
  expect(compiled).toBe(fused(json, true));
  if (compiled !== undefined) expect(compiled).toBe(want);
  return compiled !== undefined;
}

/** Offsets inside the values of flag fields and numbers (where the fast paths read). */
function valueOffsets(json: Uint8Array): number[] {
  const text = new TextDecoder().decode(json);
  const at: number[] = [];
  for (const m of text.matchAll(/"(?:prot|flags|status|start|end|pgoff|fd)": ("[^"]*"|-?\d+)/g)) {
    const from = m.index! + m[0].length - m[1]!.length;
    for (let i = from; i < from + m[1]!.length; i++) at.push(i);
  }
  return at;
}

describe("one-pass encoder's integers (flag texts, hex and decimal 64-bit values)", () => {
  it("vmas with recurring and random flag words and 64-bit values: compiled = interpreted = the parsing path", () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(vma, { minLength: 1, maxLength: 40 }), fc.boolean(), (vmas, pretty) => {
        const bytes = encodeImage(mmImage(vmas));
        const json = utf8.encode(toCritJson(decodeImage(bytes) as CriuImage, { pretty }));
        if (agree(json)) taken++;
        expect(fused(json, false)).toBe(Buffer.from(bytes).toString("hex"));
      }),
      { numRuns: 200 },
    );
    expect(taken).toBe(200);
  });

  it("the same JSON with one byte of a flag text or a number changed", () => {
    const bytesOf = fc.constantFrom(..."0123456789abcdefxX_-| \"\\ACDEFGHIMNOPRSTUVWXY");
    fc.assert(
      fc.property(fc.array(vma, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.nat(), bytesOf, fc.boolean(), (vmas, pretty, pick, char, insert) => {
        const json = utf8.encode(toCritJson(decodeImage(encodeImage(mmImage(vmas))) as CriuImage, { pretty }));
        agree(json); // the texts remembered first
        const offsets = valueOffsets(json);
        const i = offsets[pick % offsets.length]!;
        const changed = insert
          ? new Uint8Array([...json.subarray(0, i), char.charCodeAt(0), ...json.subarray(i)])
          : json.map((b, j) => (j === i ? char.charCodeAt(0) : b));
        agree(changed);
      }),
      { numRuns: 400 },
    );
  });
});

describe("one-pass encoder's whitespace", () => {
  /** Every run of whitespace outside strings replaced by the next of `runs` (cycled), and one put before each `,:}]`. */
  function rewhite(json: Uint8Array, runs: string[]): Uint8Array {
    const out: number[] = [];
    let inString = false;
    let n = 0;
    for (let i = 0; i < json.length; i++) {
      const c = json[i]!;
      if (inString) {
        out.push(c);
        if (c === 0x5c) out.push(json[++i]!);
        else if (c === 0x22) inString = false;
      } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        while (i + 1 < json.length && [0x20, 0x0a, 0x0d, 0x09].includes(json[i + 1]!)) i++;
        for (const ch of runs[n++ % runs.length]!) out.push(ch.charCodeAt(0));
      } else {
        // Before punctuation too (crit writes no whitespace there).
        if (c === 0x2c || c === 0x3a || c === 0x7d || c === 0x5d) for (const ch of runs[n++ % runs.length]!) out.push(ch.charCodeAt(0));
        out.push(c);
        if (c === 0x22) inString = true;
      }
    }
    return new Uint8Array(out);
  }

  // Indentation-like runs (a newline, then up to 40 spaces) and any mix of the four, at every
  // length around the four-byte steps: compiled = interpreted = the parsing path.
  const run = fc.oneof(
    fc.nat({ max: 40 }).map((n) => "\n" + " ".repeat(n)),
    fc.array(fc.constantFrom(" ", "\t", "\n", "\r"), { maxLength: 12 }).map((a) => a.join("")),
    fc.nat({ max: 9 }).map((n) => " ".repeat(n)),
  );

  it("mm images with their whitespace replaced by random runs", () => {
    fc.assert(
      fc.property(fc.array(vma, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.array(run, { minLength: 1, maxLength: 30 }), (vmas, pretty, runs) => {
        const json = utf8.encode(toCritJson(decodeImage(encodeImage(mmImage(vmas))) as CriuImage, { pretty }));
        expect(agree(rewhite(json, runs))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
