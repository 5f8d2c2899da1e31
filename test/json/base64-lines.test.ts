import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64Into, escapedBase64Into, escapedBase64Length } from "../../src/json/base64";
import { JsonSink, writeBase64String } from "../../src/json/from-image/sink";
import { critJsonToImageBytes, fromCritJson } from "../../src/json/to-image/from-crit";
import { fusedImageBytes, fusedImageChunks } from "../../src/json/to-image/fused-encode";
import { concatBytes } from "../../src/image/bytes";
import { encodeImage } from "../../src/image/encode";
import { referenceDecode, referenceEscapedBase64 } from "../support/base64-reference";

// The payload paths of src/json/base64.ts work a line (or two) at a time through scratch buffers
// of ~64 KiB; they must give exactly what the character-at-a-time code gave, which is Python's
// base64.encodebytes layout (a line of 57 bytes, 76 characters) with JSON's escaped newline.
// fast-check prints the seed and the shrunk case of any failure.

/** n pseudo-random bytes from a seed (fast-check would take long to draw 100 000 of them). */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/** Python's base64.encodebytes, escaped for a JSON string: 57 bytes a line. */
function pythonLayout(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 57) out += Buffer.from(bytes.subarray(i, i + 57)).toString("base64") + "\\n";
  return out;
}

// Every length mod 3 and mod 57 (a line) and 114 (the encoder's pair of lines), around one line,
// around the 420 line pairs (47 880 bytes) that go through the scratch buffer at a time, and
// a few rounds of it.
const SCRATCH = 420 * 114;
const length = fc.oneof(
  fc.integer({ min: 0, max: 400 }),
  fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: -3, max: 3 })).map(([k, d]) => Math.max(0, k * 57 + d)),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -120, max: 120 })).map(([k, d]) => k * SCRATCH + d),
);

describe("crit's base64 of a payload, a line at a time", () => {
  it("writes what the character-at-a-time encoder wrote: Python's layout, in a quoted JSON string", () => {
    fc.assert(
      fc.property(length, fc.integer(), fc.integer({ min: 0, max: 7 }), (n, seed, before) => {
        const bytes = noise(n, seed);
        const want = referenceEscapedBase64(bytes);
        expect(want).toBe(pythonLayout(bytes));
        expect(escapedBase64Length(n)).toBe(want.length);
        // At every alignment of the sink (the scratch buffer is copied in at any offset).
        const sink = new JsonSink(16);
        for (let i = 0; i < before; i++) sink.byte(0x20);
        writeBase64String(sink, bytes, 0, n);
        expect(Buffer.from(sink.buf.subarray(before, sink.pos)).toString("latin1")).toBe(`"${want}"`);
      }),
      { numRuns: 300 },
    );
  });

  it("encodes a part of a larger array, to any offset", () => {
    fc.assert(
      fc.property(length, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer(), (n, start, at, seed) => {
        const bytes = noise(start + n + 5, seed);
        const out = new Uint8Array(at + escapedBase64Length(n) + 3).fill(7);
        const end = escapedBase64Into(bytes, start, start + n, out, at);
        expect(end).toBe(at + escapedBase64Length(n));
        expect(Buffer.from(out.subarray(at, end)).toString("latin1")).toBe(referenceEscapedBase64(bytes.subarray(start, start + n)));
        expect([...out.subarray(0, at), ...out.subarray(end)].every((b) => b === 7)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("reads crit's layout back, from any offset, to any offset", () => {
    fc.assert(
      fc.property(length, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer(), (n, start, at, seed) => {
        const bytes = noise(n, seed);
        const text = Buffer.from(" ".repeat(start) + referenceEscapedBase64(bytes) + '"', "latin1");
        const out = new Uint8Array(at + Math.floor(((text.length - start) * 3) / 4) + 3);
        const got = decodeBase64Into(text, start, text.length - 1, out, at, true);
        expect(got).toBe(n);
        expect(Buffer.from(out.subarray(at, at + n)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("accepts and refuses exactly what the character-at-a-time reading did, after edits anywhere", () => {
    // Edits of crit's text: a character of base64, a break (escaped or raw), padding, a quote, a
    // backslash, junk, UTF-8; inserted, replacing or removing characters, in mid-line or at a break.
    const piece = fc.constantFrom("A", "/", "+", "z", "9", "\\n", "\\r", "\\", "n", "\n", "\r", "=", "==", '"', "*", " ", "\u00e9", "\\t", "\\u0041");
    const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), piece);
    fc.assert(
      fc.property(length, fc.integer(), fc.array(edit, { maxLength: 4 }), fc.boolean(), (n, seed, edits, escaped) => {
        let text = referenceEscapedBase64(noise(n, seed));
        if (!escaped) text = text.replaceAll("\\n", "\n");
        for (const [where, drop, insert] of edits) {
          const at = where % (text.length + 1);
          text = text.slice(0, at) + insert + text.slice(at + drop);
        }
        const chars = Buffer.from(text, "utf8");
        const out = new Uint8Array(Math.floor((chars.length * 3) / 4) + 3);
        const got = decodeBase64Into(chars, 0, chars.length, out, 0, escaped);
        const want = referenceDecode(chars, escaped);
        expect(got < 0 ? undefined : [...out.subarray(0, got)]).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });
});

describe("pipe data through the one-pass encoder", () => {
  const doc = (entries: [bytes: number, extra: string][]) =>
    `{"magic": "PIPES_DATA", "entries": [${entries.map(([bytes, extra], i) => `{"pipe_id": ${i + 1}, "bytes": ${bytes}, "size": 65536, "extra": "${extra}"}`).join(", ")}]}`;
  const viaObjects = (text: string) => {
    try {
      return Buffer.from(encodeImage(fromCritJson(text))).toString("hex");
    } catch (err) {
      return `error: ${(err as Error).message}`;
    }
  };

  it("finds the payload's end where crit puts it, else where it is, and leaves the rest to the parsing path", () => {
    const layouts = fc.constantFrom("crit", "wrapped at 60", "one line", "claims one more", "claims one less", "claims zero");
    fc.assert(
      fc.property(fc.array(fc.tuple(length, fc.integer(), layouts), { minLength: 1, maxLength: 3 }), (specs) => {
        const entries = specs.map(([n, seed, layout]): [number, string] => {
          const bytes = noise(n, seed);
          const plain = Buffer.from(bytes).toString("base64");
          if (layout === "wrapped at 60") return [n, plain.replace(/.{60}/g, "$&\\n")];
          if (layout === "one line") return [n, plain];
          const claim = layout === "claims one more" ? n + 1 : layout === "claims one less" ? Math.max(0, n - 1) : layout === "claims zero" ? 0 : n;
          return [claim, referenceEscapedBase64(bytes)];
        });
        const text = doc(entries);
        const want = viaObjects(text);
        const fused = fusedImageBytes(new TextEncoder().encode(text));
        if (fused) expect(Buffer.from(fused).toString("hex")).toBe(want);
        const direct = (() => {
          try {
            return Buffer.from(critJsonToImageBytes(text)).toString("hex");
          } catch (err) {
            return `error: ${(err as Error).message}`;
          }
        })();
        expect(direct).toBe(want);
        // crit's own layout with true lengths is the one-pass encoder's to take.
        if (specs.every(([, , layout]) => layout === "crit")) expect(fused).toBeDefined();
      }),
      { numRuns: 150 },
    );
  });

  it("gives the same image in reused chunks through a small window", async () => {
    const entries: [number, string][] = [0, 1, 56, 57, 58, 114, SCRATCH + 1, 70_000].map((n, i) => [n, referenceEscapedBase64(noise(n, i + 1))]);
    const json = new TextEncoder().encode(doc(entries));
    let at = 0;
    const source = {
      readInto: async (target: Uint8Array) => {
        const n = Math.min(target.length, 4099, json.length - at);
        target.set(json.subarray(at, at + n));
        at += n;
        return n;
      },
    };
    const copies: Uint8Array[] = [];
    for await (const chunk of fusedImageChunks(source, 1000, { reuseBuffers: true })) copies.push(chunk.slice());
    expect(Buffer.from(concatBytes(copies)).toString("hex")).toBe(viaObjects(doc(entries)));
  });
});
