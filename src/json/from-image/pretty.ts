import type { CRIU_Opts } from "../../gen/opts_pb";
import { DICT_MAPS, FLAG_MAPS } from "../maps";
import type { JsonValue } from "../value";
import { ipv6Text } from "../../image/ip-text";

// How crit's pretty mode prints an integer field, chosen by its (criu) options in crit's
// order: hex, then dev, then flags, then dict, else the plain number.

export function hexString(v: number | bigint): string {
  if (typeof v === "number" && v >= 0) return `0x${v.toString(16)}`;
  const b = BigInt(v);
  return b < 0n ? `-0x${(-b).toString(16)}` : `0x${b.toString(16)}`;
}

/** A device number as "major:minor": the kernel's split (20 minor bits), or glibc's with odev. */
export function devString(v: number | bigint, odev: boolean): string {
  const d = BigInt.asUintN(64, BigInt(v));
  if (!odev) return `${d >> 20n}:${d & 0xfffffn}`;
  const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn);
  const minor = (d & 0xffn) | ((d >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

/** Flag names of the set bits in map order, joined by " | ", leftover bits as one hex term. */
export function flagsString(v: number | bigint, map: string): string {
  const bits = FLAG_MAPS[map];
  if (!bits) return hexString(v);
  if (typeof v === "number" && v >= 0 && v <= 0xffffffff) return flagsString32(v, bits);
  let rest = BigInt(v);
  const names: string[] = [];
  for (const [name, bit] of bits) {
    const b = BigInt(bit);
    if (b !== 0n && (rest & b) === b) {
      names.push(name);
      rest &= ~b;
    }
  }
  if (rest !== 0n) names.push(hexString(rest));
  return names.join(" | ");
}

export function renderPrettyInt(v: number | bigint, opts: CRIU_Opts | undefined, fieldName: string, hex: boolean): JsonValue {
  if (hex || opts?.hex) return hexString(v);
  if (opts?.dev) return devString(v, opts.odev);
  if (opts?.flags) return flagsString(v, opts.flags);
  if (opts?.dict) {
    const label = DICT_MAPS[opts.dict]?.[fieldName]?.get(Number(v));
    if (label !== undefined) return label;
  }
  return v;
}

/** The same for 32-bit values, with number arithmetic (every CRIU flags field is 32-bit). */
function flagsString32(v: number, bits: readonly (readonly [string, number])[]): string {
  let rest = v;
  let out = "";
  for (const [name, bit] of bits) {
    if (bit !== 0 && (rest & bit) >>> 0 === bit) {
      out += out === "" ? name : ` | ${name}`;
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) out += out === "" ? `0x${rest.toString(16)}` : ` | 0x${rest.toString(16)}`;
  return out;
}

/** crit's ipadd: one word is IPv4, otherwise the first four words are IPv6; a one-element list. */
export function ipString(words: readonly number[]): string {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  const n = words.length === 1 ? 1 : 4;
  for (let i = 0; i < n; i++) view.setUint32(i * 4, words[i] ?? 0, true);
  if (n === 1) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups = Array.from({ length: 8 }, (_, i) => view.getUint16(i * 2, false));
  return ipv6Text(groups);
}

/** crit's `--nopl` size text: "512B", "2KB", "1.5KB" (Python's %d / %.1f, half to even). */
export function humanSize(bytes: number | bigint): string {
  const n = BigInt(bytes);
  const units = ["", "K", "M", "G", "T", "P", "E", "Z"];
  for (let k = 0; k < units.length; k++) {
    const d = 1024n ** BigInt(k);
    if (n < d * 1024n) {
      if (n % d === 0n) return `${n / d}${units[k]}B`;
      return `${tenths(n, d)}${units[k]}B`;
    }
  }
  return `${tenths(n, 1024n ** 8n)}YB`;
}

function tenths(n: bigint, d: bigint): string {
  let q = (n * 10n) / d;
  const r = n * 10n - q * d;
  if (2n * r > d || (2n * r === d && q % 2n === 1n)) q += 1n;
  return `${q / 10n}.${q % 10n}`;
}
