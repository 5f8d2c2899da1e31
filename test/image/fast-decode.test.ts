import { create, fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastDecoder } from "../../src/image/fast-decode";
import { criuRegistry } from "../../src/schema/registry";
import { pagemap_entrySchema } from "../../src/schema/all";
import { messageArbitrary } from "../support/arbitraries/message";
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
    // (The other required fields of ipc_var_entry, 2 to 12, around it.)
    ["a 64-bit varint with bits past 64", IPC_VAR, [0x10, 0, 0x18, 0, 0x20, 0, 0x28, 0, 0x30, 0, 0x38, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, 0x40, 0, 0x48, 0, 0x50, 0, 0x58, 0, 0x60, 0]],
    ["a packed list", PSTREE, [0x08, 0x01, 0x10, 0x00, 0x18, 0x01, 0x20, 0x01, 0x2a, 0x02, 0x05, 0x06]],
  ])("%s", (_, magic, message) => {
    const bytes = image(magic as number, message as number[]);
    expect(Buffer.from(encodeImage(decodeImage(bytes))).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
  });
});

// The compiled decoder (compile-decode.ts) must accept and reject exactly what the interpreter
// does, and build the same objects as fromBinary where it accepts.
describe("compiled decoder = interpreter = fromBinary", () => {
  const schemas = [...criuRegistry].filter((t): t is DescMessage => t.kind === "message");

  function same(schema: DescMessage, bytes: Uint8Array): void {
    const compiled = fastDecoder(schema)(bytes, 0, bytes.length);
    const interpreted = fastDecoder(schema, { interpret: true })(bytes, 0, bytes.length);
    expect(compiled === undefined).toBe(interpreted === undefined);
    if (compiled === undefined) return;
    expect(compiled).toStrictEqual(interpreted);
    expect(Object.getPrototypeOf(compiled)).toBe(Object.getPrototypeOf(interpreted));
    expect(compiled).toStrictEqual(fromBinary(schema, bytes));
  }

  it("compiles (new Function is allowed here), so the test below compares two paths", () => {
    const bytes = toBinary(pagemap_entrySchema, create(pagemap_entrySchema, { vaddr: 4096n, compatNrPages: 0, flags: 2, nrPages: 1n }));
    expect(fastDecoder(pagemap_entrySchema).name).toBe("decode");
    expect(fastDecoder(pagemap_entrySchema, { interpret: true })(bytes, 0, bytes.length)).toBeDefined();
  });

  it("on random messages of every CRIU type, and on the same bytes mutated", () => {
    let accepted = 0;
    for (const schema of schemas) {
      fc.assert(
        fc.property(messageArbitrary(schema, 3), fc.nat(), fc.integer({ min: 0, max: 255 }), (m, at, value) => {
          const bytes = toBinary(schema, m);
          same(schema, bytes);
          if (fastDecoder(schema)(bytes, 0, bytes.length) !== undefined) accepted++;
          if (bytes.length === 0) return;
          const mutated = bytes.slice();
          mutated[at % bytes.length] = value;
          same(schema, mutated);
          same(schema, bytes.subarray(0, at % bytes.length));
        }),
        { numRuns: 10 },
      );
    }
    // Canonical bytes are the common case: most must take the fast path.
    expect(accepted).toBeGreaterThan(schemas.length * 5);
  });
});
