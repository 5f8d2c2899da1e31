import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, IMG_COMMON } from "../../src/index";
import { concatBytes } from "../../src/image/bytes";

const PSTREE = 0x50273030;
const IPC_VAR = 0x53115007;

function image(magic: number, message: number[]): Uint8Array {
  const head = new Uint8Array(12);
  const view = new DataView(head.buffer);
  view.setUint32(0, IMG_COMMON, true);
  view.setUint32(4, magic, true);
  view.setUint32(8, message.length, true);
  return concatBytes([head, new Uint8Array(message)]);
}

// Bytes protobuf-es would not write back as they are must not take the fast decoder's path
// (which keeps no copy of the original bytes): each of these re-encodes exactly.
describe("non-canonical encodings re-encode exactly", () => {
  it.each([
    ["a padded varint", PSTREE, [0x08, 0x81, 0x00, 0x10, 0x00, 0x18, 0x01, 0x20, 0x01]],
    ["fields out of number order", PSTREE, [0x10, 0x00, 0x08, 0x01, 0x18, 0x01, 0x20, 0x01]],
    ["a singular field twice", PSTREE, [0x08, 0x01, 0x08, 0x02, 0x10, 0x00, 0x18, 0x01, 0x20, 0x01]],
    ["a uint32 written as ten bytes", PSTREE, [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x10, 0x00, 0x18, 0x01, 0x20, 0x01]],
    // Found by fast-check (seed -383726013): a tenth varint byte above 1 carries bits past 64.
    ["a 64-bit varint with bits past 64", IPC_VAR, [0x38, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]],
    ["a packed list", PSTREE, [0x08, 0x01, 0x10, 0x00, 0x18, 0x01, 0x20, 0x01, 0x2a, 0x02, 0x05, 0x06]],
  ])("%s", (_, magic, message) => {
    const bytes = image(magic as number, message as number[]);
    expect(Buffer.from(encodeImage(decodeImage(bytes))).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
  });
});
