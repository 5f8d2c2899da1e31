import { fromBinary, toBinary, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, ImageError, IMG_COMMON, IMG_SERVICE, type ImageErrorKind } from "../../src/image/index";
import type { AnyImage, CriuImage, GhostFileHead, IpcMsgEntry, IpcShmEntry } from "../../src/image/entries";
import type { ImageRow } from "../../src/image/magic-table";
import { criuRegistry } from "../../src/schema/registry";
import { corruptImageArbitrary, fileNameArbitrary } from "../support/arbitraries/corrupt-image";
import { anyImageArbitrary, IMAGE_ROWS, imageArbitrary, rowSchema } from "../support/arbitraries/image";
import { losslessImageArbitrary } from "../support/arbitraries/lossless-image";
import { unknownEnumValueArbitrary } from "../support/arbitraries/lossless-wire";
import { unknownFieldArbitrary, unknownFieldBytes, unknownKey } from "../support/arbitraries/unknown-field";
import { messageArbitrary, minimalMessage } from "../support/arbitraries/message";
import { changeKnownField, diffValues, imageUnknownKeys, requiredFieldPaths, withoutField } from "../support/image-compare";
import { imageMessages, referenceEncode } from "../support/reference-image";
import { concatBytes } from "../../src/image/bytes";

// fast-check reports the seed and the path of a failing run; keep its errors as they are.
const RUNS = { numRuns: 60 };

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

/** Same bytes, or a failure naming the first offset where they differ. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  if (Buffer.from(actual).equals(Buffer.from(expected))) return;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  expect.fail(`bytes differ at offset ${i} (${actual.length} vs ${expected.length} bytes)\n  actual   ${hex(actual)}\n  expected ${hex(expected)}`);
}

function expectSameValue(actual: unknown, expected: unknown): void {
  const d = diffValues(actual, expected);
  if (d) expect.fail(d);
}

/** Runs `f`, which must throw an ImageError of one of `kinds` (and of entry `entry` if given). */
function expectImageError(f: () => unknown, kinds: ImageErrorKind[], entry?: number): ImageError {
  let thrown: unknown;
  try {
    f();
  } catch (err) {
    thrown = err;
  }
  if (!(thrown instanceof ImageError)) expect.fail(`expected an ImageError, got ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
  expect(kinds).toContain(thrown.kind);
  if (entry !== undefined) expect(thrown.entry).toBe(entry);
  return thrown;
}

const withHeader = (image: CriuImage, row: ImageRow): CriuImage => ({ ...image, header: image.header ?? row.header }) as CriuImage;

// ---------------------------------------------------------------------------------------------
describe("messageArbitrary", () => {
  const schemas = [...criuRegistry].filter((t): t is DescMessage => t.kind === "message");

  it("covers all CRIU messages: protobuf-es encodes them (required fields set) and decodes them back equal", () => {
    expect(schemas.length).toBeGreaterThan(150);
    for (const schema of schemas) {
      fc.assert(
        fc.property(messageArbitrary(schema, 3), (m) => {
          expectSameValue(fromBinary(schema, toBinary(schema, m)), m);
        }),
        { numRuns: 8 },
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe("every image type: random images round-trip", () => {
  it("covers all 68 image rows of the magic table and every payload kind", () => {
    expect(IMAGE_ROWS.length).toBe(68);
    expect(new Set(IMAGE_ROWS.map((r) => r.payload)).size).toBe(10);
  });

  it.each(IMAGE_ROWS.map((row) => [row.name, row] as const))("%s: encode = reference framing, decode = image, re-encode = same bytes", (_, row) => {
    fc.assert(
      fc.property(imageArbitrary(row, { header: "any" }), (image) => {
        const bytes = encodeImage(image);
        expectSameBytes(bytes, referenceEncode(image));
        const decoded = decodeImage(bytes);
        expectSameValue(decoded, withHeader(image, row));
        expectSameBytes(encodeImage(decoded), bytes);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe("header kinds", () => {
  const first = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);

  it("an image without `header` gets the row's: IMG_COMMON, IMG_SERVICE (STATS, IRMAP_CACHE) or none (INVENTORY)", () => {
    const byHeader = { common: IMG_COMMON, service: IMG_SERVICE };
    expect(IMAGE_ROWS.filter((r) => r.header === "service").map((r) => r.name).sort()).toEqual(["IRMAP_CACHE", "STATS"]);
    expect(IMAGE_ROWS.filter((r) => r.header === "none").map((r) => r.name)).toEqual(["INVENTORY"]);
    fc.assert(
      fc.property(fc.constantFrom(...IMAGE_ROWS).chain((row) => imageArbitrary(row, { header: "unset", maxEntries: 1, depth: 1 })), (image) => {
        const row = IMAGE_ROWS.find((r) => r.name === image.magic)!;
        const bytes = encodeImage(image);
        expect(first(bytes)).toBe(row.header === "none" ? row.value : byHeader[row.header]);
        expect((decodeImage(bytes) as CriuImage).header).toBe(row.header);
      }),
      { numRuns: 200 },
    );
  });

  it("v1.0-style images (magic only, no header word) of every type decode as header 'none' and re-encode the same", () => {
    fc.assert(
      fc.property(fc.constantFrom(...IMAGE_ROWS).chain((row) => imageArbitrary(row, { maxEntries: 2, depth: 1 })), (image) => {
        const v1 = { ...image, header: "none" } as CriuImage;
        const bytes = encodeImage(v1);
        expect(first(bytes)).toBe(IMAGE_ROWS.find((r) => r.name === image.magic)!.value);
        const decoded = decodeImage(bytes);
        expectSameValue(decoded, v1);
        expectSameBytes(encodeImage(decoded), bytes);
      }),
      { numRuns: 200 },
    );
  });

  it("raw images (no magic) are recognised by file name and kept byte for byte", () => {
    const known = new Set([IMG_COMMON, IMG_SERVICE, ...IMAGE_ROWS.map((r) => r.value)]);
    fc.assert(
      fc.property(fc.constantFrom("pages-1.img", "ifaddr-9.img", "tmpfs-dev-3.tar.gz.img", "netns-ct-1.img"), fc.uint8Array({ maxLength: 40 }), (fileName, bytes) => {
        fc.pre(bytes.length < 4 || !known.has(new DataView(bytes.buffer).getUint32(0, true)));
        const decoded = decodeImage(bytes, { fileName });
        expect("raw" in decoded).toBe(true);
        expectSameBytes(encodeImage(decoded), bytes);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe("lossless: unknown fields, unknown enum values, non-UTF-8 strings (wire level)", () => {
  it.each(IMAGE_ROWS.map((row) => [row.name, row] as const))("%s", (_, row) => {
    fc.assert(
      fc.property(losslessImageArbitrary(row), ({ bytes, unknown }) => {
        const decoded = decodeImage(bytes) as CriuImage;
        // every unknown field and unknown enum value is there after decoding (protobuf-es drops
        // unknown enum values when another unknown field exists: unknown-enums.ts repairs it)
        expect(imageUnknownKeys(imageMessages(decoded))).toEqual(unknown);
        // decode → encode gives the very bytes read
        const encoded = encodeImage(decoded);
        expectSameBytes(encoded, bytes);
        // decode → encode → decode gives equal messages (unknown fields included)
        expectSameValue(decodeImage(encoded), decoded);
        // changing a known field re-encodes the message, keeping all unknown fields (anywhere)
        const changed = decodeImage(bytes) as CriuImage;
        for (const m of imageMessages(changed)) changeKnownField(m.schema, m.message);
        const again = decodeImage(encodeImage(changed)) as CriuImage;
        expect(imageUnknownKeys(imageMessages(again))).toEqual(unknown);
      }),
      { numRuns: 30 },
    );
  });

  // the protobuf-es bug unknown-enums.ts works around, forced: an unknown value of an optional
  // closed enum and another unknown field in the same (top-level) message, in either order
  const enumRows = IMAGE_ROWS.filter(
    (r) => r.payload === "entry" && rowSchema(r).fields.some((f) => f.fieldKind === "enum" && f.presence !== 3),
  );
  it.each(enumRows.map((row) => [row.name, row] as const))("%s: unknown enum value + unknown field in one message", (_, row) => {
    const schema = rowSchema(row);
    const enumFields = schema.fields.filter((f) => f.fieldKind === "enum" && f.presence !== 3);
    const arb = fc
      .tuple(messageArbitrary(schema, 2), fc.constantFrom(...enumFields), unknownFieldArbitrary(schema), fc.boolean())
      .chain(([m, field, other, enumFirst]) =>
        unknownEnumValueArbitrary((field as DescField & { fieldKind: "enum" }).enum).map((value) => {
          const bad = { no: field.number, wireType: WireType.Varint, data: new BinaryWriter().int32(value).finish() };
          const extras = enumFirst ? [bad, other] : [other, bad];
          const bytes = concatBytes([toBinary(schema, m), ...extras.map(unknownFieldBytes)]);
          return { image: { magic: row.name, entries: [m] } as CriuImage, bytes, unknown: extras.map((u) => unknownKey("#0", u)).sort() };
        }),
      );
    fc.assert(
      fc.property(arb, ({ image, bytes: message, unknown }) => {
        const bytes = referenceEncode(image, () => message);
        const decoded = decodeImage(bytes) as CriuImage;
        expect(imageUnknownKeys(imageMessages(decoded))).toEqual(unknown);
        expectSameBytes(encodeImage(decoded), bytes);
        for (const m of imageMessages(decoded)) changeKnownField(m.schema, m.message);
        expect(imageUnknownKeys(imageMessages(decodeImage(encodeImage(decoded)) as CriuImage))).toEqual(unknown);
      }),
      { numRuns: 30 },
    );
  });

  // BUG (src/image/message.ts encodeMessage): an unknown value in a *required* closed-enum field
  // (fdinfo_entry.type, for instance) decodes fine (protobuf-es moves it to $unknown and leaves
  // the field unset), but encoding the unchanged image throws ImageError "bad-entry"
  // ("cannot encode field fdinfo_entry.type to binary: required field not set"), because
  // encodeMessage calls toBinary before it looks at the original bytes. Remove `.fails` once fixed.
  it("FDINFO: an unknown value in a required enum field (fdinfo_entry.type) survives decode → encode", () => {
    const row = IMAGE_ROWS.find((r) => r.name === "FDINFO")!;
    fc.assert(
      fc.property(losslessImageArbitrary(row, { requiredEnums: true, maxEntries: 2 }), ({ bytes }) => {
        expectSameBytes(encodeImage(decodeImage(bytes)), bytes);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe("bad input", () => {
  it("random, half-valid and mutated bytes: decode or ImageError, never another error, never a hang", () => {
    fc.assert(
      fc.property(corruptImageArbitrary, fileNameArbitrary, (bytes, fileName) => {
        let image: AnyImage;
        try {
          image = decodeImage(bytes, fileName === undefined ? {} : { fileName });
        } catch (err) {
          if (!(err instanceof ImageError)) throw err;
          return;
        }
        // what decodes re-encodes to the same bytes, or fails as a bad entry (required field missing)
        let encoded: Uint8Array;
        try {
          encoded = encodeImage(image);
        } catch (err) {
          if (!(err instanceof ImageError)) throw err;
          expect(err.kind).toBe("bad-entry");
          return;
        }
        expectSameBytes(encoded, bytes);
      }),
      { numRuns: 1000 },
    );
  });

  // BUG (src/image/unknown-enums.ts rescan / message.ts decodeMessage): protobuf-es's fromBinary
  // accepts a sub-message whose last varint runs past the sub-message's length (it reads on in
  // the parent's bytes), but rescan() re-reads each sub-message with its own BinaryReader over
  // exactly its bytes and hits "RangeError: premature EOF". restoreUnknownEnumValues runs outside
  // the try/catch of decodeMessage, so decodeImage throws a RangeError instead of an ImageError.
  // Found by the property above (seed 1907674570); shrunk input: a NETDEV image whose
  // net_device_entry.macvlan (8 bytes) ends in tag 0x60 (field 12, varint) with no value inside
  // it, plus an unknown field 137 in net_device_entry (so that the rescan runs).
  // Expected: ImageError "bad-message" (or a decode); actual: RangeError. Remove `.fails` once fixed.
  it("a sub-message overrunning its length gives an ImageError, not a RangeError (NETDEV)", () => {
    const bytes = Uint8Array.from([
      25, 67, 86, 84, 81, 57, 55, 87, 60, 0, 0, 0, 200, 8, 1, 16, 0, 24, 0, 32, 128, 128, 1, 42, 0, 50, 22, 8, 0, 16, 128, 128, 128, 128, 1, 24,
      0, 32, 128, 128, 128, 128, 1, 40, 128, 128, 128, 128, 1, 58, 0, 90, 8, 8, 128, 128, 128, 1, 16, 0, 96, 128, 128, 128, 128, 1, 112, 128,
      128, 128, 128, 1,
    ]);
    let thrown: unknown;
    try {
      decodeImage(bytes);
    } catch (err) {
      thrown = err;
    }
    expect(thrown === undefined || thrown instanceof ImageError).toBe(true);
  });

  it("a truncated image throws 'truncated' or 'length-too-large', or decodes to a prefix of its entries", () => {
    fc.assert(
      fc.property(anyImageArbitrary({ maxEntries: 3, depth: 2 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (image, where) => {
        const row = IMAGE_ROWS.find((r) => r.name === image.magic)!;
        const entries = image.entries as unknown[];
        const bytes = encodeImage(image);
        const cut = Math.floor(where * bytes.length);
        const needsFirst = row.payload === "pagemap" || row.payload === "ghost-file";
        // (An image without its first entry is not encoded either: no boundary there.)
        const boundaries = entries.map((_, i) => (i === 0 && needsFirst ? -1 : encodeImage({ ...image, entries: entries.slice(0, i) } as CriuImage).length));
        const truncated = bytes.subarray(0, cut);
        const head = entries[0] as GhostFileHead | undefined;
        if (row.payload === "ghost-file" && head?.data && cut >= bytes.length - head.data.length) {
          // a plain ghost file's contents run to the end of the image: a cut there shortens them
          const data = head.data.subarray(0, cut - (bytes.length - head.data.length));
          expectSameValue((decodeImage(truncated) as CriuImage).entries, [data.length > 0 ? { entry: head.entry, data } : { entry: head.entry }]);
          return;
        }
        const at = boundaries.indexOf(cut);
        if (at >= (needsFirst ? 1 : 0)) {
          expectSameValue(decodeImage(truncated), withHeader({ ...image, entries: entries.slice(0, at) } as CriuImage, row));
          return;
        }
        expectImageError(() => decodeImage(truncated), ["truncated", "length-too-large"]);
      }),
      { numRuns: 500 },
    );
  });

  it.each(IMAGE_ROWS.map((row) => [row.name, row] as const))("%s: a length word of 0xFFFFFFFF throws 'length-too-large' quickly", (_, row) => {
    fc.assert(
      fc.property(fc.constantFrom<number[]>([], u32(IMG_COMMON), u32(IMG_SERVICE)), fc.uint8Array({ maxLength: 16 }), (word, tail) => {
        const bytes = new Uint8Array([...word, ...u32(row.value), 0xff, 0xff, 0xff, 0xff, ...tail]);
        const err = expectImageError(() => decodeImage(bytes), ["length-too-large"], 0);
        expect(err.offset).toBe(word.length + 4);
      }),
      { numRuns: 10 },
    );
  });

  it("payload size fields far beyond the data (up to 2^64-1) throw quickly", () => {
    const huge = (row: ImageRow) => {
      switch (row.payload) {
        case "pipes-data":
          return [{ bytes: 0xffffffff }];
        case "sk-queues":
          return [{ length: 0xffffffff }];
        case "tcp-stream":
          return [{ inqLen: 0xffffffff }, { outqLen: 0xffffffff }];
        case "bpfmap-data":
          return [{ keysBytes: 0xffffffff }, { valuesBytes: 0xffffffff }];
        case "ipc-sem":
          return [{ nsems: 0xffffffff }];
        case "ipc-msg":
          return [{ qnum: 0xffffffff }];
        case "ipc-shm":
          return [{ size: (1n << 64n) - 1n, inPagemaps: false }, { size: 1n << 53n, inPagemaps: false }];
        case "ghost-file":
          return [{ chunks: true }];
        default:
          return [];
      }
    };
    const rows = IMAGE_ROWS.filter((r) => huge(r).length > 0);
    expect(rows.length).toBe(9);
    fc.assert(
      fc.property(
        fc.constantFrom(...rows).chain((row) => fc.tuple(fc.constant(row), messageArbitrary(rowSchema(row), 1), fc.constantFrom(...huge(row)), fc.uint8Array({ maxLength: 16 }))),
        ([row, m, fields, tail]) => {
          const schema = rowSchema(row);
          const message = toBinary(schema, Object.assign(m, fields) as Message);
          let extra: number[] = [];
          if (row.payload === "ghost-file") {
            // a chunked ghost file whose first chunk claims 2^64-1 bytes
            const chunk = criuRegistry.getMessage("ghost_chunk_entry")!;
            const c = toBinary(chunk, Object.assign(minimalMessage(chunk), { len: (1n << 64n) - 1n }));
            extra = [...u32(c.length), ...c];
          }
          const bytes = new Uint8Array([...u32(IMG_COMMON), ...u32(row.value), ...u32(message.length), ...message, ...extra, ...tail]);
          expectImageError(() => decodeImage(bytes), ["length-too-large", "truncated"], row.payload === "ghost-file" ? 1 : 0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
describe("encoding inconsistent entries throws 'bad-entry' with the entry's index", () => {
  const PAYLOAD_ROWS = IMAGE_ROWS.filter((r) => r.payload !== "entry" && r.payload !== "pagemap");
  const plusOne = (b: Uint8Array | undefined) => new Uint8Array([...(b ?? []), 7]);

  /** Entries with entry `index` made inconsistent (data length ≠ its size field...). */
  function breakEntry(row: ImageRow, entries: unknown[], index: number, choice: boolean): { entries: unknown[]; index: number } | undefined {
    const out = [...entries];
    const e = out[index] as Record<string, unknown> | undefined;
    if (row.payload === "ghost-file") {
      const head = out[0] as GhostFileHead;
      if (!head.entry.chunks) return { entries: [head, { entry: fc.sample(messageArbitrary(criuRegistry.getMessage("ghost_chunk_entry")!, 1), 1)[0], data: new Uint8Array(0) }], index: 1 };
      if (index === 0 || !e) return { entries: [{ ...head, data: plusOne(undefined) }, ...out.slice(1)], index: 0 };
      out[index] = { ...e, data: plusOne(e.data as Uint8Array) };
      return { entries: out, index };
    }
    if (!e) return undefined;
    switch (row.payload) {
      case "pipes-data":
      case "sk-queues":
        out[index] = { ...e, data: choice ? plusOne(e.data as Uint8Array) : (e.data as Uint8Array).subarray(1) };
        if ((out[index] as { data: Uint8Array }).data.length === (e.data as Uint8Array).length) return undefined;
        break;
      case "tcp-stream":
        out[index] = choice ? { ...e, inq: plusOne(e.inq as Uint8Array) } : { ...e, outq: plusOne(e.outq as Uint8Array) };
        break;
      case "bpfmap-data":
        out[index] = choice ? { ...e, keys: plusOne(e.keys as Uint8Array) } : { ...e, values: plusOne(e.values as Uint8Array) };
        break;
      case "ipc-sem":
        out[index] = { ...e, values: choice ? [...(e.values as number[]), 1] : (e.values as number[]).slice(1) };
        if ((e.values as number[]).length === 0 && !choice) return undefined;
        break;
      case "ipc-msg": {
        const { messages } = e as unknown as IpcMsgEntry;
        if (messages.length === 0) return undefined;
        // one message fewer than qnum says, or a text longer than its msize
        out[index] = { ...e, messages: choice ? messages.slice(1) : [{ ...messages[0]!, data: plusOne(messages[0]!.data) }, ...messages.slice(1)] };
        break;
      }
      case "ipc-shm": {
        // with in_pagemaps, inline data is written back as it is (crit's "extra"), not an error
        const { entry, data } = e as unknown as IpcShmEntry;
        if (entry.inPagemaps) return undefined;
        out[index] = { ...e, data: plusOne(data) };
        break;
      }
    }
    return { entries: out, index };
  }

  it.each(PAYLOAD_ROWS.map((row) => [row.name, row] as const))("%s: payload length ≠ what the entry says", (_, row) => {
    fc.assert(
      fc.property(imageArbitrary(row, { maxEntries: 3, depth: 1 }), fc.nat(), fc.boolean(), (image, n, choice) => {
        const entries = image.entries as unknown[];
        fc.pre(entries.length > 0);
        const broken = breakEntry(row, entries, n % entries.length, choice);
        fc.pre(broken !== undefined);
        expectImageError(() => encodeImage({ ...image, entries: broken!.entries } as CriuImage, { fileName: "x.img" }), ["bad-entry"], broken!.index);
      }),
      RUNS,
    );
  });

  it("a required field missing (at the top or in a sub-message), for any image type", () => {
    fc.assert(
      fc.property(anyImageArbitrary({ maxEntries: 3, depth: 2 }), fc.nat(), fc.nat(), (image, n, k) => {
        const entries = [...(image.entries as unknown[])];
        fc.pre(entries.length > 0);
        const index = n % entries.length;
        const e = entries[index] as Record<string, unknown>;
        const message = ("$typeName" in e ? e : e.entry) as Message;
        const schema = criuRegistry.getMessage(message.$typeName)!;
        const paths = requiredFieldPaths(schema, message);
        fc.pre(paths.length > 0);
        const without = withoutField(schema, message, paths[k % paths.length]!);
        entries[index] = "$typeName" in e ? without : { ...e, entry: without };
        const err = expectImageError(() => encodeImage({ ...image, entries } as CriuImage), ["bad-entry"], index);
        expect(err.message).toContain("entry " + index);
      }),
      { numRuns: 300 },
    );
  });
});
