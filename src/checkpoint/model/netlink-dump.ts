// The raw network images CRIU keeps as iproute2 wrote them (`ip addr save`, `ip route save`,
// `ip rule save`): a 4-byte magic, then rtnetlink messages, each a 16-byte nlmsghdr, a fixed
// family header and attributes (2-byte length, 2-byte type, the value, padding to 4 bytes).
// Little-endian, as the dumping host wrote them (CRIU runs where the kernel does).

import { ImageError } from "../../image/errors";

export { ipText } from "../../image/ip-text";

/** The magic iproute2 writes first, per kind of dump. */
export const IPROUTE2_DUMP_MAGICS: Record<number, string> = {
  0x47361222: "ip addr save",
  0x45311224: "ip route save",
  0x71706986: "ip rule save",
};

export interface NetlinkMessage {
  /** RTM_* message type. */
  type: number;
  flags: number;
  /** Offset of the message in the file. */
  offset: number;
  /** The family header and attributes (the message after its nlmsghdr). */
  body: Uint8Array;
}

export interface NetlinkAttribute {
  type: number;
  value: Uint8Array;
}

/**
 * The messages of an iproute2 dump. An empty file has none. A wrong magic or a message whose
 * length runs past the end or is shorter than its header is an ImageError naming the file and
 * the offset.
 */
export function netlinkMessages(bytes: Uint8Array, file: string): NetlinkMessage[] {
  if (bytes.length === 0) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || IPROUTE2_DUMP_MAGICS[view.getUint32(0, true)] === undefined) {
    const known = Object.entries(IPROUTE2_DUMP_MAGICS).map(([m, what]) => `0x${Number(m).toString(16)} (${what})`);
    throw new ImageError({ kind: "bad-magic", file, offset: 0, expected: `an iproute2 dump magic: ${known.join(", ")}` });
  }
  const out: NetlinkMessage[] = [];
  let at = 4;
  while (at < bytes.length) {
    if (at + 16 > bytes.length) {
      throw new ImageError({ kind: "truncated", file, offset: at, expected: `a 16-byte netlink header, ${bytes.length - at} bytes left` });
    }
    const length = view.getUint32(at, true);
    if (length < 16 || at + length > bytes.length) {
      const kind = length < 16 ? "bad-payload" : "length-too-large";
      throw new ImageError({ kind, file, offset: at, expected: `a netlink message of 16..${bytes.length - at} bytes, its header says ${length}` });
    }
    out.push({ type: view.getUint16(at + 4, true), flags: view.getUint16(at + 6, true), offset: at, body: bytes.subarray(at + 16, at + length) });
    at += align4(length);
  }
  return out;
}

/** The attributes after a family header of `headerSize` bytes; a cut attribute ends the list. */
export function netlinkAttributes(body: Uint8Array, headerSize: number): NetlinkAttribute[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out: NetlinkAttribute[] = [];
  for (let at = align4(headerSize); at + 4 <= body.length; ) {
    const length = view.getUint16(at, true);
    if (length < 4 || at + length > body.length) break;
    out.push({ type: view.getUint16(at + 2, true) & 0x3fff, value: body.subarray(at + 4, at + length) });
    at += align4(length);
  }
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
