// The payload base64 of src/json/base64.ts against the runtime's own base64, on 64 MiB of bytes
// in 1 MiB entries (as the bench's pipes-data images hold them). No Node API here: the same
// code runs in Node (bench/base64-runtimes.ts) and, bundled, in Chromium. MB/s of payload bytes,
// best of `rounds` runs of each case taken in turn.

import { decodeBase64Into, escapedBase64Into, escapedBase64Length } from "../src/json/base64";

export type Figures = Record<string, number | string | boolean>;

interface NativeBase64 {
  name: string;
  /** One entry's bytes as base64 text, no line breaks. */
  encode(bytes: Uint8Array): string;
  /** Base64 text (line breaks allowed where the runtime skips them) into `out`; bytes written. */
  decodeInto(text: string, out: Uint8Array): number;
  /** Bytes of ASCII text into `out` from 0, and ASCII bytes back to text: the runtime's fastest. */
  textInto(text: string, out: Uint8Array): void;
  bytesToText(bytes: Uint8Array): string;
}

export function measureKernels(native: NativeBase64 | undefined, rounds = 8): Figures {
  const N = 64 << 20;
  const ENTRY = 1 << 20;
  const bytes = new Uint8Array(N);
  for (let i = 0, x = 7; i < N; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
  }
  const json = new Uint8Array((N / ENTRY) * escapedBase64Length(ENTRY));
  const ends: number[] = [];
  for (let i = 0, p = 0; i < N; i += ENTRY) ends.push(p, (p = escapedBase64Into(bytes, i, i + ENTRY, json, p)));
  const out = new Uint8Array(N + 16);
  const cases: [string, () => void][] = [
    ["ours: encode with crit's line breaks (JSON-escaped)", () => {
      for (let i = 0, p = 0; i < N; i += ENTRY) p = escapedBase64Into(bytes, i, i + ENTRY, json, p);
    }],
    ["ours: decode with crit's line breaks (JSON-escaped)", () => {
      for (let k = 0, q = 0; k < ends.length; k += 2) q += decodeBase64Into(json, ends[k]!, ends[k + 1]!, out, q, true);
    }],
  ];
  const figures: Figures = { native: native?.name ?? "none" };
  if (native) {
    const texts: string[] = [];
    for (let i = 0; i < N; i += ENTRY) texts.push(native.encode(bytes.subarray(i, i + ENTRY)));
    const broken = texts.map((t) => t.replace(/.{76}/g, "$&\n") + "\n");
    const plain = texts.map((t) => {
      const b = new Uint8Array(t.length);
      native.textInto(t, b);
      return b;
    });
    const entryBytes = (i: number) => bytes.subarray(i, i + ENTRY);
    cases.push(
      ["native: encode to text, no line breaks", () => {
        for (let i = 0; i < N; i += ENTRY) native.encode(entryBytes(i));
      }],
      ["native: encode to text, then its bytes (no line breaks)", () => {
        for (let i = 0; i < N; i += ENTRY) native.textInto(native.encode(entryBytes(i)), json);
      }],
      ["native: decode text without line breaks", () => {
        for (let k = 0, q = 0; k < texts.length; k++) q += native.decodeInto(texts[k]!, out.subarray(q));
      }],
      ["native: decode text with raw line breaks", () => {
        for (let k = 0, q = 0; k < broken.length; k++) q += native.decodeInto(broken[k]!, out.subarray(q));
      }],
      ["native: bytes to text, then decode it (no line breaks)", () => {
        for (let k = 0, q = 0; k < plain.length; k++) q += native.decodeInto(native.bytesToText(plain[k]!), out.subarray(q));
      }],
    );
  }
  const best = cases.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    cases.forEach(([, run], i) => {
      const t = performance.now();
      run();
      best[i] = Math.min(best[i]!, performance.now() - t);
    });
  }
  cases.forEach(([name], i) => (figures[name] = Math.round(N / 1e3 / best[i]!)));
  return figures;
}
