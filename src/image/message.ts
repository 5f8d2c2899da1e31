import { equals, fromBinary, toBinary, type DescMessage, type Message, type MessageShape } from "@bufbuild/protobuf";
import { criuRegistry } from "../schema/registry";
import type { ByteReader, ByteWriter } from "./bytes";
import { ImageError } from "./errors";
import { fastDecoder } from "./fast-decode";
import { restoreUnknownEnumValues } from "./unknown-enums";
import { wireProblem } from "./wire-check";

/**
 * A message's bytes as they were read. Encoding writes them again when the message still
 * encodes as it did after decoding, which keeps unknown fields in place, unknown enum values
 * and string fields that are not valid UTF-8 (protobuf-es would move, drop or replace them).
 */
const originals = new WeakMap<object, Uint8Array>();

/** The bytes a message was decoded from, while it is known. */
export function originalBytes(message: object): Uint8Array | undefined {
  return originals.get(message);
}

/** Largest message a length word may announce; CRIU's messages are a few KiB at most. */
export const MAX_MESSAGE_SIZE = 64 << 20;

/** Reads `u32 size ‖ size bytes of a message` and decodes the message. */
export function readMessage<Desc extends DescMessage>(r: ByteReader, schema: Desc): MessageShape<Desc> {
  const start = r.offset;
  // The texts of errors are made only on the way to an error: this runs once per entry.
  const size = r.remaining >= 4 ? r.u32Unchecked() : r.u32(`the length of a ${schema.typeName} entry`);
  if (size > MAX_MESSAGE_SIZE) {
    throw r.error("length-too-large", `a ${schema.typeName} entry of at most ${MAX_MESSAGE_SIZE} bytes, not ${size}`, start);
  }
  if (size > r.remaining) r.require(size, `a ${schema.typeName} message of ${size} bytes`);
  let fast: Message | undefined;
  try {
    fast = decoderFor(schema)(r.bytes, r.pos, r.pos + size);
  } catch {
    fast = undefined; // a stack overflow on absurdly nested messages: fromBinary reports them
  }
  if (fast !== undefined) {
    r.pos += size;
    return fast as MessageShape<Desc>;
  }
  const bytes = r.take(size, `a ${schema.typeName} message of ${size} bytes`);
  return decodeMessage(schema, bytes, r, start + 4);
}

const decoders = new WeakMap<DescMessage, ReturnType<typeof fastDecoder>>();

function decoderFor(schema: DescMessage): ReturnType<typeof fastDecoder> {
  let decoder = decoders.get(schema);
  if (!decoder) decoders.set(schema, (decoder = fastDecoder(schema)));
  return decoder;
}

/** Decodes one message from its bytes and remembers them for a byte-exact re-encode. */
export function decodeMessage<Desc extends DescMessage>(
  schema: Desc,
  bytes: Uint8Array,
  r?: ByteReader,
  offset?: number,
): MessageShape<Desc> {
  let message: MessageShape<Desc>;
  try {
    message = fromBinary(schema, bytes);
    // The rescan reads each sub-message within its own length, which protobuf-es does not
    // always enforce: an overrun is an invalid message either way.
    restoreUnknownEnumValues(schema, message as Message, bytes);
  } catch (cause) {
    throw new ImageError({ kind: "bad-message", file: r?.file, offset, expected: `a valid ${schema.typeName} message`, cause });
  }
  // What protobuf-es read leniently (past a sub-message's end, without required fields...) is
  // refused here, after its depth limit has been applied: the rule of wire-check.ts.
  const problem = wireProblem(schema, bytes);
  if (problem) throw new ImageError({ kind: "bad-message", file: r?.file, offset: offset === undefined ? undefined : offset + problem.at, expected: problem.expected });
  originals.set(message, bytes);
  return message;
}

/** The bytes of a message: the original ones while it is unchanged, otherwise a fresh encoding. */
export function encodeMessage<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Uint8Array {
  const original = originals.get(message);
  let fresh: Uint8Array;
  try {
    fresh = toBinary(schema, message);
  } catch (cause) {
    // An unknown value of a required enum leaves the field unset for protobuf-es, which then
    // refuses to encode it: the original bytes are still right if nothing else changed.
    if (original && unchanged(schema, message, original)) return original;
    throw new ImageError({ kind: "bad-entry", expected: `a complete ${schema.typeName} message`, cause });
  }
  if (!original || sameBytes(fresh, original)) return original ?? fresh;
  // The original differs from protobuf-es's own encoding (unknown fields, bad UTF-8...):
  // it is still the right output if the message encodes as its original decoding does.
  const again = fromBinary(schema, original);
  restoreUnknownEnumValues(schema, again as Message, original);
  const asDecoded = toBinary(schema, again);
  return sameBytes(fresh, asDecoded) ? original : fresh;
}

function unchanged<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>, original: Uint8Array): boolean {
  const again = fromBinary(schema, original);
  restoreUnknownEnumValues(schema, again as Message, original);
  return equals(schema, again, message, { registry: criuRegistry, unknown: true });
}

/** Writes `u32 size ‖ message bytes`. */
export function writeMessage<Desc extends DescMessage>(w: ByteWriter, schema: Desc, message: MessageShape<Desc>): void {
  const bytes = encodeMessage(schema, message);
  w.u32(bytes.length);
  w.bytes(bytes);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
