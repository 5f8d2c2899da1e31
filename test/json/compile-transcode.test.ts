import { create, toBinary, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { JsonSink } from "../../src/json/from-image/sink";
import { messageWriter, useCompiledWriters } from "../../src/json/from-image/transcode";
import { criuRegistry } from "../../src/schema/registry";
import { messageArbitrary } from "../support/arbitraries/message";

// The compiled wire → JSON writers (compile-transcode.ts) must write exactly what the
// interpreter writes and give up exactly where it gives up: on random messages of every CRIU
// type, mutated and cut short, plain and pretty, at the nesting levels entries are written at.
describe("compiled JSON writer = interpreter", () => {
  const schemas = [...criuRegistry].filter((t): t is DescMessage => t.kind === "message");
  afterEach(() => useCompiledWriters(true));

  function run(schema: DescMessage, bytes: Uint8Array, pretty: boolean, compiled: boolean): string | false {
    useCompiledWriters(compiled);
    const sink = new JsonSink(64, pretty);
    const ok = messageWriter(schema, pretty)(sink, bytes, 0, bytes.length, 2);
    return ok && Buffer.from(sink.buf.subarray(0, sink.pos)).toString("latin1");
  }

  function same(schema: DescMessage, bytes: Uint8Array, pretty: boolean): boolean {
    const compiled = run(schema, bytes, pretty, true);
    expect(compiled).toBe(run(schema, bytes, pretty, false));
    return compiled !== false;
  }

  it("on random messages of every type, the same bytes mutated and cut short", () => {
    let written = 0;
    for (const schema of schemas) {
      fc.assert(
        fc.property(messageArbitrary(schema, 3), fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 255 }), (m, pretty, at, value) => {
          const bytes = toBinary(schema, m);
          if (same(schema, bytes, pretty)) written++;
          if (bytes.length === 0) return;
          const mutated = bytes.slice();
          mutated[at % bytes.length] = value;
          same(schema, mutated, pretty);
          same(schema, bytes.subarray(0, at % bytes.length), pretty);
        }),
        { numRuns: 10 },
      );
    }
    // Most canonical messages are written by the fast path (the comparison is not vacuous).
    expect(written).toBeGreaterThan(schemas.length * 4);
  });

  // Lists are written in runs (the rest of a list with a one-byte tag read in one loop), and
  // 64-bit values below 2^32 from their low word, hex from the two words: at the edges, the text is crit's.
  it("lists of 64-bit values and sint64 at the word edges, in runs and broken runs", () => {
    const xsave = criuRegistry.getMessage("user_x86_xsave_entry")!;
    const vma = criuRegistry.getMessage("vma_entry")!;
    const u64 = fc.oneof(fc.constantFrom(0n, 1n, 127n, 128n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n + 1n, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
    const s64 = fc.oneof(fc.constantFrom(0n, -1n, 1n, -(2n ** 31n), 2n ** 31n - 1n, -(2n ** 31n) - 1n, 2n ** 31n, -(2n ** 63n), 2n ** 63n - 1n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
    fc.assert(
      fc.property(fc.array(u64, { maxLength: 12 }), fc.array(u64, { maxLength: 5 }), s64, u64, fc.boolean(), (zmm, opmask, fd, start, pretty) => {
        const list = (xs: bigint[]) => `[${xs.map(String).join(", ")}]`;
        const x = toBinary(xsave, create(xsave, { xstateBv: 1n, opmaskReg: opmask, zmmUpper: zmm }));
        const text = run(xsave, x, false, true);
        expect(text).toBe(run(xsave, x, false, false));
        expect(text).toBe(`{"xstate_bv": 1${opmask.length ? `, "opmask_reg": ${list(opmask)}` : ""}${zmm.length ? `, "zmm_upper": ${list(zmm)}` : ""}}`);
        same(xsave, x, pretty);
        const v = toBinary(vma, create(vma, { start, end: 8192n, pgoff: 0n, shmid: 0n, prot: 1, flags: 2, status: 3, fd }));
        const vtext = run(vma, v, false, true);
        expect(vtext).toBe(run(vma, v, false, false));
        expect(vtext).toContain(`"fd": ${fd}`);
        same(vma, v, pretty);
        // Pretty: start and end in hex (from the two words below 2^53, else the general way).
        expect(run(vma, v, true, true)).toContain(`"start": "0x${start.toString(16)}"`);
      }),
      { numRuns: 300 },
    );
  });

  it("notices a difference between the two (the comparison can fail)", () => {
    const schema = criuRegistry.getMessage("pstree_entry")!;
    const bytes = Uint8Array.of(0x08, 0x01, 0x10, 0x00, 0x18, 0x01, 0x20, 0x01);
    expect(run(schema, bytes, false, true)).toBe('{"pid": 1, "ppid": 0, "pgid": 1, "sid": 1}');
    expect(run(schema, bytes, false, false)).toBe('{"pid": 1, "ppid": 0, "pgid": 1, "sid": 1}');
    expect(run(schema, Uint8Array.of(0x08, 0x01, 0x08, 0x02), false, true)).toBe(false); // a singular field twice
    // A bool whose varint has only high bits set (2^32) is true, on both paths.
    const pagemap = criuRegistry.getMessage("pagemap_entry")!;
    const bool = Uint8Array.of(0x08, 0x00, 0x10, 0x00, 0x18, 0x80, 0x80, 0x80, 0x80, 0x10);
    for (const compiled of [true, false]) expect(run(pagemap, bool, false, compiled)).toBe('{"vaddr": 0, "compat_nr_pages": 0, "in_parent": true}');
  });
});
