import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromMimeBase64, toMimeBase64 } from "../../src/json/base64";
import { parseJson } from "../../src/json/to-image/parse";
import { devString, flagsString, humanSize, ipString } from "../../src/json/from-image/pretty";
import { fromQuotedPrintable, toQuotedPrintable, unchangedByQuotedPrintable } from "../../src/json/quopri";
import { parseIp, parsePythonInt } from "../../src/json/to-image/read-scalar";
import { quote, stringifyJson } from "../../src/json/from-image/stringify";
import { JsonSink, writeQuotedPrintableString } from "../../src/json/from-image/sink";
import { referenceDecode } from "../support/base64-reference";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("Python json.dumps layout", () => {
  it("escapes like ensure_ascii", () => {
    expect(quote("é")).toBe('"\\u00e9"');
    expect(quote("😀")).toBe('"\\ud83d\\ude00"');
    expect(quote('a"b\\c\n\t\r\b\f')).toBe('"a\\"b\\\\c\\n\\t\\r\\b\\f"');
    expect(quote("\x00\x1f\x7f")).toBe('"\\u0000\\u001f\\u007f"');
    expect(quote("/<>&")).toBe('"/<>&"');
  });

  it("lays out plain and pretty documents", () => {
    const doc = { a: [1, 2n ** 64n - 1n], b: {}, c: [], d: { e: true, f: null } };
    expect(stringifyJson(doc)).toBe('{"a": [1, 18446744073709551615], "b": {}, "c": [], "d": {"e": true, "f": null}}');
    expect(stringifyJson(doc, true)).toBe(
      '{\n    "a": [\n        1,\n        18446744073709551615\n    ],\n    "b": {},\n    "c": [],\n    "d": {\n        "e": true,\n        "f": null\n    }\n}',
    );
  });

  it("round-trips any JSON value with exact integers", () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map((n) => (Number.isSafeInteger(Number(n)) ? Number(n) : n)),
        fc.string({ unit: "binary" }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("v"), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: "binary" }).filter((k) => !/^\d+$/.test(k)), tie("v"), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, fc.boolean(), (v, pretty) => {
        expect(parseJson(stringifyJson(v as never, pretty))).toEqual(v);
      }),
    );
  });
});

describe("crit's byte encodings", () => {
  it("writes MIME base64 with a newline every 76 characters", () => {
    expect(toMimeBase64(new Uint8Array(0))).toBe("");
    expect(toMimeBase64(ascii("abc"))).toBe("YWJj\n");
    expect(fromMimeBase64("YW\nJj\n")).toEqual(ascii("abc"));
    expect(fromMimeBase64("YQ==")).toEqual(ascii("a"));
    for (const bad of ["YWJ", "Y===", "YQ==YQ==", "YW é", "YW*j", "=YWJ"]) expect(fromMimeBase64(bad)).toBeUndefined();
    const long = toMimeBase64(new Uint8Array(100));
    expect(long.split("\n").map((l) => l.length)).toEqual([76, 60, 0]);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      expect(fromMimeBase64(toMimeBase64(b))).toEqual(b);
    }));
  });

  it("writes quoted-printable like Python's quopri", () => {
    expect(toQuotedPrintable(new Uint8Array([0, ...ascii("abstract=name"), 0xff, 9, ...ascii("end")]))).toBe("=00abstract=3Dname=FF\tend");
    expect(toQuotedPrintable(ascii("trailing "))).toBe("trailing=20");
    expect(toQuotedPrintable(ascii("x".repeat(80)))).toBe(`${"x".repeat(75)}=\n${"x".repeat(5)}`);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      expect(fromQuotedPrintable(toQuotedPrintable(b))).toEqual(b);
    }));
  });

  it("knows the names quoted-printable leaves as they are", () => {
    expect(unchangedByQuotedPrintable(ascii("/run/crun/sock"), 0, 14)).toBe(true);
    expect(unchangedByQuotedPrintable(ascii(""), 0, 0)).toBe(true);
    for (const s of [".", "a=b", "a b", "x".repeat(76), "\0abstract"]) expect(unchangedByQuotedPrintable(ascii(s), 0, s.length)).toBe(false);
    expect(unchangedByQuotedPrintable(new Uint8Array([0x2f, 0]), 0, 2)).toBe(false);
    // Bytes drawn mostly from the edges: ".", "=", space, DEL, controls, line ends, high bytes.
    const byte = fc.oneof(fc.constantFrom(0x2e, 0x3d, 0x20, 0x7e, 0x7f, 0x21, 0x0a, 0x0d, 0x09, 0, 0x80, 0xff), fc.integer({ min: 0x21, max: 0x7e }));
    fc.assert(fc.property(fc.array(byte, { maxLength: 90 }), fc.nat(3), (list, cut) => {
      const b = new Uint8Array(list);
      const start = Math.min(cut, b.length);
      const text = String.fromCharCode(...b.subarray(start));
      const plain = toQuotedPrintable(b.subarray(start)) === text && /^[\x21-\x7e]*$/.test(text);
      // From 76 bytes on it answers false (a line's length), whatever quoted-printable would do.
      expect(unchangedByQuotedPrintable(b, start, b.length)).toBe(text.length < 76 && plain);
    }));
  });

  it("writes quoted-printable JSON strings as quote(toQuotedPrintable()) does", () => {
    const byte = fc.oneof(fc.constantFrom(0x2e, 0x3d, 0x20, 0x7e, 0x7f, 0x22, 0x5c, 0x0a, 0x0d, 0x09, 0, 0x80, 0xff), fc.integer({ min: 0x21, max: 0x7e }));
    const names = fc.oneof(fc.array(byte, { maxLength: 90 }), fc.array(fc.integer({ min: 0x21, max: 0x7e }), { minLength: 68, maxLength: 78 }).map((a) => [...a, 0]));
    for (const s of ["", "srv.sock\0", ".\0", "\0", "a=b\0", "x".repeat(72) + "\0", "x".repeat(73) + "\0"]) check(ascii(s));
    fc.assert(fc.property(names, fc.boolean(), (list, spaced) => check(new Uint8Array(list), spaced)));

    function check(b: Uint8Array, spaced = false): void {
      const sink = new JsonSink(16, spaced);
      sink.ascii("[");
      writeQuotedPrintableString(sink, b, 0, b.length);
      sink.ascii("]");
      expect(new TextDecoder().decode(sink.take())).toBe(`[${quote(toQuotedPrintable(b))}]`);
    }
  });
});

describe("pretty renderers", () => {
  it("prints sizes like crit's human_readable, halves to even", () => {
    expect([0, 512, 1024, 2048, 1536, 1280, 1331, 5000, 1 << 20].map(humanSize)).toEqual([
      "0B", "512B", "1KB", "2KB", "1.5KB", "1.2KB", "1.3KB", "4.9KB", "1MB",
    ]);
  });

  it("splits device numbers the kernel's and glibc's way", () => {
    expect(devString((8 << 20) | 1, false)).toBe("8:1");
    expect(devString(0x801, true)).toBe("8:1");
    expect(devString(0x1234567890n, true)).toBe("1656:19088784");
  });

  it("names flags in map order with leftover bits as hex", () => {
    expect(flagsString(0, "rfile.flags")).toBe("");
    expect(flagsString(0o102 | 0x200000, "rfile.flags")).toBe("O_RDWR | O_CREAT | 0x200000");
    expect(flagsString(0x49, "seals.flags")).toBe("F_SEAL_SEAL | F_SEAL_WRITE | 0x40");
  });

  it("prints and reads IP addresses", () => {
    expect(ipString([50462986])).toBe("10.1.2.3");
    expect(parseIp("10.1.2.3")).toEqual([50462986]);
    expect(ipString([0, 0, 0, 0])).toBe("::");
    for (const text of ["::", "2001:db8::1", "::ffff:a00:6", "fe80::1:2", "1:2:3:4:5:6:7:8"]) {
      expect(ipString(parseIp(text))).toBe(text);
    }
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 4, maxLength: 4 }), (w) => {
      expect(parseIp(ipString(w))).toEqual(w);
    }));
  });

  it("reads integers like Python's int(s, 0)", () => {
    expect(["0x1F", "-0x10", "0o17", "0b101", "42", "0", "00"].map(parsePythonInt)).toEqual([31n, -16n, 15n, 5n, 42n, 0n, 0n]);
    expect(["010", "1.5", "", "x"].map(parsePythonInt)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe("JsonSink line breaks", () => {
  it.each([false, true])("writes a line break and 4 spaces per level (spaced: %s)", (spaced) => {
    const sink = new JsonSink(4, spaced);
    for (const level of [0, 3, 1, 40, 2]) {
      sink.byte(0x78);
      sink.newline(level);
    }
    sink.byte(0x78);
    const want = [0, 3, 1, 40, 2].map((level) => `x\n${" ".repeat(4 * level)}`).join("") + "x";
    expect(new TextDecoder().decode(sink.take())).toBe(want);
  });
});

describe("JsonSink numbers", () => {
  const written = (f: (s: JsonSink) => void) => {
    const sink = new JsonSink(8);
    f(sink);
    return sink.text();
  };

  it("writes every safe integer as String() and hex as toString(16) do", () => {
    const edges = [0, 9, 10, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1e8 - 1, 1e8, 1e15, 2 ** 53 - 1];
    for (const n of edges) {
      expect(written((s) => s.uint(n))).toBe(String(n));
      expect(written((s) => s.hexString(n))).toBe(`"0x${n.toString(16)}"`);
    }
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 53 }), (n, bits) => {
        const v = Math.floor(n / 2 ** (53 - bits));
        expect(written((s) => s.uint(v))).toBe(String(v));
        expect(written((s) => s.hexString(v))).toBe(`"0x${v.toString(16)}"`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("base64 reading", () => {
  it("agrees with a character-by-character reading on text made of base64, breaks, padding and junk", () => {
    const char = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", "\n", "\r", "=", "*", " ", "é");
    const text = fc.oneof(
      fc.array(char, { maxLength: 40 }).map((cs) => cs.join("")),
      fc.uint8Array({ maxLength: 200 }).chain((b) => fc.nat().map((at) => {
        const t = toMimeBase64(b);
        return at % 3 === 0 ? t : t.slice(0, at % (t.length + 1)) + "\n" + t.slice(at % (t.length + 1));
      })),
    );
    fc.assert(
      fc.property(text, (t) => {
        const got = fromMimeBase64(t);
        const want = referenceDecode(ascii(t), false); // Python's rule as a plain character loop
        expect(got === undefined ? undefined : [...got]).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });
});
