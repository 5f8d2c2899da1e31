import { decodeBase64Into } from "../base64";
import { decodeQuotedPrintableInto } from "../quopri";
import type { FieldPlan } from "./fused-plan";
import { GIVE_UP, type FusedCursor } from "./fused-tokens";
import { readScalar } from "./read-scalar";
import { ScalarType } from "../../schema/scalar-type";

// The one-pass encoder's string-shaped values: enum names, text, bytes (base64, or quoted-printable
// for unix socket names) and the base64 payload after a pipe_data_entry.


/** An enum field: the value's name (numbers for enums go the parsing path). */
export function writeEnum(sc: FusedCursor, f: FieldPlan): void {
  const start = sc.stringToken();
  const end = sc.pos - 1;
  for (const [name, n] of f.enumNames) {
    if (sc.same(start, end, name)) {
      sc.w.bytes(f.tag);
      sc.w.int32(n);
      return;
    }
  }
  throw GIVE_UP;
}

/** A string field: its bytes as they stand when plain ASCII, else the text the escapes make. */
export function writeString(sc: FusedCursor, f: FieldPlan): void {
  const w = sc.w;
  const start = sc.stringToken();
  const end = sc.pos - 1;
  w.bytes(f.tag);
  if (sc.plain(start, end)) {
    w.varint32(end - start);
    w.bytes(sc.s.subarray(start, end));
  } else w.string(sc.text(start, end));
}

/** A bytes field: base64, or quoted-printable for `(criu).conv = "unix_name"`. */
export function writeBytes(sc: FusedCursor, f: FieldPlan): void {
  const w = sc.w;
  const s = sc.s;
  const start = sc.stringToken();
  const end = sc.pos - 1;
  // Straight from the JSON's bytes when no escape is in the way; else as the parser reads it.
  if (f.opts?.conv === "unix_name" ? sc.plain(start, end) : !f.opts?.conv) {
    w.bytes(f.tag);
    w.reserve(5 + end - start);
    const at = w.beginLength();
    const n =
      f.opts?.conv === "unix_name"
        ? decodeQuotedPrintableInto(s, start, end, w.buf, at)
        : decodeBase64Into(s, start, end, w.buf, at, true);
    if (n < 0) throw GIVE_UP;
    w.pos = at + n;
    w.endLength(at);
    return;
  }
  let bytes: unknown;
  try {
    bytes = readScalar(f.field, ScalarType.BYTES, sc.text(start, sc.pos - 1), f.opts);
  } catch {
    throw GIVE_UP;
  }
  w.bytes(f.tag);
  w.lengthDelimited(bytes as Uint8Array);
}

/**
 * A payload: the base64 of a JSON string's body (line breaks written as \n) decoded into the
 * output; returns how many bytes it gave.
 */
export function writePayload(sc: FusedCursor, start: number, end: number): number {
  const w = sc.w;
  w.reserve(Math.ceil(((end - start) * 3) / 4) + 3);
  const n = decodeBase64Into(sc.s, start, end, w.buf, w.pos, true);
  if (n < 0) throw GIVE_UP;
  w.pos += n;
  return n;
}
