import "../support/compile-at-once";
import { create, toBinary, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeImage, encodeImage, type CriuImage } from "../../src/index";
import { messageToJson } from "../../src/json/from-image/render";
import { stringifyJson } from "../../src/json/from-image/stringify";
import { toCritJson } from "../../src/json/from-image/to-crit";
import { fusedImageBytes } from "../../src/json/to-image/fused-encode";
import { planFor } from "../../src/json/to-image/fused-plan";
import { Scanner } from "../../src/json/to-image/fused-scanner";
import { GIVE_UP } from "../../src/json/to-image/fused-tokens";
import { WireWriter } from "../../src/json/to-image/wire-writer";
import { criuRegistry } from "../../src/schema/registry";
import { IMAGE_ROWS, imageArbitrary } from "../support/arbitraries/image";
import { messageArbitrary } from "../support/arbitraries/message";

// The JSON → image encoder compiled per message type (compile-encode.ts) must write exactly what
// the interpreter (fused-scanner.ts) writes and give up exactly where it gives up: on random
// messages of every CRIU type, plain and pretty, and on the same JSON edited into what crit never
// writes (bytes replaced, cut out, cut short).

const utf8 = new TextEncoder();

/**
 * One message's JSON read by the scanner alone: its wire bytes (hex), "give up" (where does not
 * matter: the parsing path then reads the document again and names the error), or the error.
 */
function readMessage(schema: DescMessage, json: Uint8Array, compiled: boolean): string {
  const sc = new Scanner(json, compiled);
  sc.w = new WireWriter(16);
  try {
    sc.message(planFor(schema));
    sc.ws();
    if (sc.pos !== json.length) return "give up";
    return Buffer.from(sc.w.buf.subarray(0, sc.w.pos)).toString("hex");
  } catch (err) {
    return err === GIVE_UP ? "give up" : `error: ${(err as Error).message}`;
  }
}

/** A whole document through fusedImageBytes: the image's bytes (hex), undefined, or the error. */
function readImage(json: Uint8Array, compiled: boolean): string | undefined {
  try {
    const out = fusedImageBytes(json, { interpret: !compiled });
    return out && Buffer.from(out).toString("hex");
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

/** Edits crit never makes: a byte replaced by one that matters to JSON, a run cut out, the end cut off. */
const edits = fc.tuple(fc.nat(), fc.constantFrom(..."0179-+.eE\"\\,:{}[] \nxtf"), fc.integer({ min: 1, max: 12 }));

function edited(json: Uint8Array, [at, char, length]: [number, string, number]): Uint8Array[] {
  if (json.length === 0) return [];
  const i = at % json.length;
  const replaced = json.slice();
  replaced[i] = char.charCodeAt(0);
  const cut = new Uint8Array([...json.subarray(0, i), ...json.subarray(Math.min(json.length, i + length))]);
  return [replaced, cut, json.subarray(0, i)];
}

describe("compiled JSON → image encoder = interpreter", () => {
  const schemas = [...criuRegistry].filter((t): t is DescMessage => t.kind === "message");

  it("on random messages of every type, plain and pretty, and the same JSON edited", () => {
    let taken = 0;
    for (const schema of schemas) {
      fc.assert(
        fc.property(messageArbitrary(schema, 3), fc.boolean(), edits, (m, pretty, edit) => {
          const json = utf8.encode(stringifyJson(messageToJson(schema, m, { pretty }), pretty, 2));
          const compiled = readMessage(schema, json, true);
          expect(compiled).toBe(readMessage(schema, json, false));
          // What the fast path takes is the message's own wire form (protobuf-es's, as the oracle).
          if (compiled !== "give up") {
            expect(compiled).toBe(Buffer.from(toBinary(schema, m)).toString("hex"));
            taken++;
          }
          for (const changed of edited(json, edit)) expect(readMessage(schema, changed, true)).toBe(readMessage(schema, changed, false));
        }),
        { numRuns: 15 },
      );
    }
    // Most messages are taken by the fast path (the comparison with the oracle is not vacuous).
    expect(taken).toBeGreaterThan(schemas.length * 8);
  });

  it.each(IMAGE_ROWS.filter((r) => r.payload === "entry" || r.payload === "pagemap" || r.payload === "pipes-data").map((r) => [r.name, r] as const))(
    "on random %s images, plain and pretty, and their JSON edited",
    (_, row) => {
      fc.assert(
        fc.property(imageArbitrary(row, { maxEntries: 3, depth: 3 }), fc.boolean(), edits, (image, pretty, edit) => {
          const bytes = encodeImage(image);
          const json = utf8.encode(toCritJson(decodeImage(bytes) as CriuImage, { pretty }));
          const compiled = readImage(json, true);
          expect(compiled).toBe(readImage(json, false));
          if (compiled !== undefined) expect(compiled).toBe(Buffer.from(bytes).toString("hex"));
          for (const changed of edited(json, edit)) expect(readImage(changed, true)).toBe(readImage(changed, false));
        }),
        { numRuns: 10 },
      );
    },
  );

  // Values the generated code writes itself (not through the interpreter's helpers), checked
  // against protobuf-es's bytes: a mistake there fails these even where both paths share it.
  it.each([
    ["a sint64 below zero (ZigZag)", "vma_entry", { start: 1n, end: 2n, pgoff: 0n, shmid: 0n, prot: 1, flags: 2, status: 3, fd: -1n }],
    ["a sint64 at its lower bound", "vma_entry", { start: 0n, end: 0n, pgoff: 0n, shmid: 0n, prot: 0, flags: 0, status: 0, fd: -(2n ** 63n) }],
    ["a sint32 below zero", "reg_file_entry", regFile(-1)],
    ["a sint32 at its bounds", "reg_file_entry", regFile(-2147483648)],
    ["a sint32 at its upper bound", "reg_file_entry", regFile(2147483647)],
    ["a repeated field", "pstree_entry", { pid: 1, ppid: 0, pgid: 1, sid: 1, threads: [1, 300, 0, 2 ** 31] }],
    ["a nested message longer than 127 bytes (a two-byte length)", "mm_entry", mmWithVmas(12)],
    ["booleans", "pagemap_entry", { vaddr: 4096n, compatNrPages: 0, inParent: false, nrPages: 1, flags: 1 }],
    ["64-bit values past 2^53", "pagemap_entry", { vaddr: 0xfffffffffffff000n, compatNrPages: 0xffffffff, inParent: true, flags: 3 }],
  ])("%s: both paths give protobuf-es's bytes", (_, name, init) => {
    const schema = criuRegistry.getMessage(name)!;
    const m = create(schema, init as never);
    const want = Buffer.from(toBinary(schema, m)).toString("hex");
    for (const pretty of [false, true]) {
      const json = utf8.encode(stringifyJson(messageToJson(schema, m, { pretty }), pretty, 2));
      expect(readMessage(schema, json, true), `${pretty ? "pretty" : "plain"}: ${new TextDecoder().decode(json)}`).toBe(want);
      expect(readMessage(schema, json, false)).toBe(want);
    }
  });
});

function mmWithVmas(n: number) {
  const vma = { start: 0x7f0000000000n, end: 0x7f0000001000n, pgoff: 0n, shmid: 0n, prot: 3, flags: 0x22, status: 0x201, fd: -1n };
  const m = { mmStartCode: 1n, mmEndCode: 2n, mmStartData: 3n, mmEndData: 4n, mmStartStack: 5n, mmStartBrk: 6n, mmBrk: 7n };
  return { ...m, mmArgStart: 8n, mmArgEnd: 9n, mmEnvStart: 10n, mmEnvEnd: 11n, exeFileId: 12, vmas: Array(n).fill(vma) };
}

function regFile(mntId: number) {
  return { id: 1, flags: 0, pos: 0n, fown: { uid: 0, euid: 0, signum: 0, pidType: 0, pid: 0 }, name: "/x", mntId };
}
