import type { DescField } from "@bufbuild/protobuf";
import type { CRIU_Opts } from "../../gen/opts_pb";
import { fromMimeBase64 } from "../base64";
import { DICT_MAPS, FLAG_MAPS } from "../maps";
import { fromQuotedPrintable } from "../quopri";
import { quoteShort, type JsonValue } from "../value";
import { ScalarType } from "../../schema/scalar-type";

/** Thrown with what was expected; the caller adds the JSON path. */
export class ValueError extends Error {}

/** The values each integer type holds. */
export const RANGES: Partial<Record<ScalarType, [bigint, bigint]>> = {
  [ScalarType.INT32]: [-(2n ** 31n), 2n ** 31n - 1n],
  [ScalarType.SINT32]: [-(2n ** 31n), 2n ** 31n - 1n],
  [ScalarType.SFIXED32]: [-(2n ** 31n), 2n ** 31n - 1n],
  [ScalarType.UINT32]: [0n, 2n ** 32n - 1n],
  [ScalarType.FIXED32]: [0n, 2n ** 32n - 1n],
  [ScalarType.INT64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.SINT64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.SFIXED64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [ScalarType.UINT64]: [0n, 2n ** 64n - 1n],
  [ScalarType.FIXED64]: [0n, 2n ** 64n - 1n],
};

const NUMBER_RANGES: Partial<Record<ScalarType, [number, number]>> = Object.fromEntries(
  Object.entries(RANGES).map(([t, [min, max]]) => [t, [Number(min), Number(max)]]),
);

export const IS_64 = new Set([ScalarType.INT64, ScalarType.SINT64, ScalarType.SFIXED64, ScalarType.UINT64, ScalarType.FIXED64]);

/** A JSON value for a scalar field, in protobuf-es's representation (bigint for 64-bit). */
export function readScalar(field: DescField, type: ScalarType, v: JsonValue, opts: CRIU_Opts | undefined): unknown {
  switch (type) {
    case ScalarType.BOOL:
      if (typeof v !== "boolean") throw new ValueError("true or false");
      return v;
    case ScalarType.STRING:
      if (typeof v !== "string") throw new ValueError("a string");
      return v;
    case ScalarType.BYTES: {
      if (typeof v !== "string") throw new ValueError("a base64 string");
      if (opts?.conv === "unix_name") {
        try {
          return fromQuotedPrintable(v);
        } catch {
          throw new ValueError("quoted-printable text");
        }
      }
      const bytes = fromMimeBase64(v);
      if (!bytes) throw new ValueError("base64 text");
      return bytes;
    }
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      if (typeof v !== "number") throw new ValueError("a number");
      return v;
    default: {
      // The common case, a plain number for a 32-bit field, without going through bigint.
      if (typeof v === "number" && Number.isInteger(v) && !IS_64.has(type)) {
        const [min, max] = NUMBER_RANGES[type]!;
        if (v >= min && v <= max) return v;
      }
      const n = readInteger(v, opts, field.name);
      const [min, max] = RANGES[type]!;
      if (n < min || n > max) throw new ValueError(`an integer from ${min} to ${max}, not ${n}`);
      return IS_64.has(type) ? n : Number(n);
    }
  }
}

/** An integer from a number, or from any text crit writes or reads for one. */
function readInteger(v: JsonValue, opts: CRIU_Opts | undefined, fieldName: string): bigint {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new ValueError(`an integer, not ${v}`);
    return BigInt(v);
  }
  if (typeof v === "bigint") return v;
  if (typeof v !== "string") throw new ValueError("an integer");
  if (opts?.dev && /^\d+:\d+$/.test(v)) return parseDev(v, opts.odev);
  if (opts?.flags && FLAG_MAPS[opts.flags]) return parseFlags(v, opts.flags);
  if (opts?.dict) {
    const map = DICT_MAPS[opts.dict]?.[fieldName];
    for (const [n, label] of map ?? []) if (label === v) return BigInt(n);
  }
  const n = parsePythonInt(v);
  if (n === undefined) throw new ValueError(`an integer or a name crit prints for one, not ${quoteShort(v)}`);
  return n;
}

/** Python's int(s, 0): decimal without leading zeros, or 0x / 0o / 0b, with an optional sign. */
export function parsePythonInt(s: string): bigint | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[1-9][0-9]*|0+)\s*$/.exec(s);
  if (!m) return undefined;
  const body = m[2]!;
  const n = /^0+$/.test(body) ? 0n : BigInt(body.toLowerCase().startsWith("0o") ? `0o${body.slice(2)}` : body);
  return m[1] === "-" ? -n : n;
}

function parseDev(s: string, odev: boolean): bigint {
  const [major, minor] = s.split(":").map((x) => BigInt(x)) as [bigint, bigint];
  if (!odev) return (major << 20n) | minor;
  return ((major & 0xfffn) << 8n) | ((major & ~0xfffn) << 32n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n);
}

function parseFlags(s: string, mapName: string): bigint {
  let value = 0n;
  for (const term of s.split("|").map((t) => t.trim())) {
    if (term === "") continue;
    const bit = FLAG_MAPS[mapName]!.find(([name]) => name === term);
    const n = bit ? BigInt(bit[1]) : parsePythonInt(term);
    if (n === undefined) throw new ValueError(`flag names of ${mapName} or numbers, not ${quoteShort(term)}`);
    value |= n;
  }
  return value;
}

/** crit's ipadd text back to words: IPv4 is one word, IPv6 four (network byte order in memory). */
export function parseIp(text: string): number[] {
  const bytes = text.includes(":") ? parseIpv6(text) : parseIpv4(text);
  const view = new DataView(bytes.buffer);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view.getUint32(i * 4, true));
}

function parseIpv4(text: string): Uint8Array {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new ValueError(`an IP address, not ${quoteShort(text)}`);
  return new Uint8Array(parts.map(Number));
}

function parseIpv6(text: string): Uint8Array {
  const bad = () => new ValueError(`an IP address, not ${quoteShort(text)}`);
  const halves = text.split("::");
  if (halves.length > 2) throw bad();
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  const push = (g: string) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad();
    words.push(parseInt(g, 16));
  };
  // A trailing dotted IPv4 part counts as two groups.
  const last = (tail.length ? tail : head).at(-1);
  let v4: Uint8Array | undefined;
  if (last?.includes(".")) {
    v4 = parseIpv4(last);
    (tail.length ? tail : head).pop();
  }
  head.forEach(push);
  const fill = 8 - head.length - tail.length - (v4 ? 2 : 0);
  if ((halves.length === 2 && fill < 1) || (halves.length === 1 && fill !== 0)) throw bad();
  for (let i = 0; i < fill; i++) words.push(0);
  tail.forEach(push);
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint16(i * 2, w, false));
  if (v4) out.set(v4, 12);
  return out;
}
