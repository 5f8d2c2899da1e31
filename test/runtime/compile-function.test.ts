import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { corpusDir } from "../support/corpus";

// A page whose Content-Security-Policy has no 'unsafe-eval' makes `new Function` throw an
// EvalError and raise a `securitypolicyviolation` event per attempt. These tests stand in for it
// with a `Function` that counts its calls (and throws, for the CSP case): the library must ask
// once, then stay on its interpreters, and give the same results.

const RealFunction = Function;
const dump = `${corpusDir}proc-minimal/`;
const IMAGES = ["core-26637.img", "mm-26637.img", "pagemap-26637.img", "files.img", "pstree.img"];

/** A stand-in for the global Function: counts calls, throws like a CSP page when `refuse`. */
function countingFunction(refuse: boolean): { calls: number } {
  const seen = { calls: 0 };
  function Stand(...args: string[]) {
    seen.calls++;
    if (refuse) throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
    return RealFunction(...args);
  }
  vi.stubGlobal("Function", Stand);
  return seen;
}

/** Fresh copies of the library's modules (no compiled plan, no probe answer yet). */
async function freshLibrary() {
  vi.resetModules();
  return import("../../src/index");
}

/**
 * freshLibrary with the encoder compiling a type's code at its first object: by default it reads
 * a type's first 2^17 objects with its interpreter, so these small images would never ask.
 */
async function freshLibraryEncoderCompiling() {
  const lib = await freshLibrary();
  (await import("../../src/json/to-image/compile-encode")).setCompileAfter(0);
  return lib;
}

/** Decodes every image both ways (typed objects, and image bytes → crit JSON, plain and pretty). */
function decodeAll(lib: Awaited<ReturnType<typeof freshLibrary>>): string[] {
  return IMAGES.flatMap((name) => {
    const bytes = new Uint8Array(readFileSync(`${dump}images/${name}`));
    const image = lib.decodeImage(bytes, { fileName: name });
    return [lib.toCritJson(image), lib.imageBytesToCritJson(bytes, { fileName: name }), lib.imageBytesToCritJson(bytes, { fileName: name, pretty: true })];
  });
}

describe("compiling code only where the page allows it", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("asks once under a CSP without 'unsafe-eval', then decodes with the interpreters", async () => {
    const lib = await freshLibrary();
    const seen = countingFunction(true);
    const refused = decodeAll(lib);
    decodeAll(lib);
    vi.unstubAllGlobals();
    expect(seen.calls).toBe(1);
    // The interpreters give what crit 4.2 gave for these files.
    IMAGES.forEach((name, i) => {
      expect(refused[3 * i + 1]).toBe(readFileSync(`${dump}crit/${name}.json`, "utf8").trimEnd());
      expect(refused[3 * i + 2]).toBe(readFileSync(`${dump}crit/${name}.pretty.json`, "utf8").trimEnd());
    });
    const compiled = decodeAll(await freshLibrary());
    expect(refused).toEqual(compiled);
  });

  it("compiles per message type where it may (so the single probe above is a real saving)", async () => {
    const lib = await freshLibrary();
    const seen = countingFunction(false);
    decodeAll(lib);
    vi.unstubAllGlobals();
    // The probe, then one decoder per message type met and one writer per type and mode.
    expect(seen.calls).toBeGreaterThan(IMAGES.length + 1);
  });

  it("encodes crit JSON with the interpreter under a CSP without 'unsafe-eval', asking once", async () => {
    const encodeAll = (lib: Awaited<ReturnType<typeof freshLibrary>>) =>
      IMAGES.flatMap((name) =>
        [".json", ".pretty.json"].map((suffix) => Buffer.from(lib.critJsonToImageBytes(readFileSync(`${dump}crit/${name}${suffix}`))).toString("hex")),
      );
    const lib = await freshLibraryEncoderCompiling();
    const seen = countingFunction(true);
    const refused = encodeAll(lib);
    encodeAll(lib);
    vi.unstubAllGlobals();
    expect(seen.calls).toBe(1);
    IMAGES.forEach((name, i) => {
      const original = readFileSync(`${dump}images/${name}`).toString("hex");
      expect(refused[2 * i]).toBe(original);
      expect(refused[2 * i + 1]).toBe(original);
    });
    // Where code may be compiled, the encoder compiles per message type (more than the probe).
    const allowed = await freshLibraryEncoderCompiling();
    const compiling = countingFunction(false);
    expect(encodeAll(allowed)).toEqual(refused);
    vi.unstubAllGlobals();
    expect(compiling.calls).toBeGreaterThan(IMAGES.length + 1);
  });

  it("keeps the probe's answer until told to forget it", async () => {
    const probe = await import("../../src/runtime/compile-function");
    probe.forgetCompileProbe();
    const refusing = countingFunction(true);
    expect(probe.compileFunction(["a"], "return a + 1")).toBeUndefined();
    expect(probe.compileFunction(["a"], "return a + 2")).toBeUndefined();
    expect(probe.canCompile()).toBe(false);
    expect(refusing.calls).toBe(1);
    vi.unstubAllGlobals();
    probe.forgetCompileProbe();
    expect(probe.compileFunction(["a"], "return a + 1")?.(1)).toBe(2);
    expect(probe.canCompile()).toBe(true);
  });
});
