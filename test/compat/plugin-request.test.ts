import { readFileSync } from "node:fs";
import { join } from "node:path";
import { clone, create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyPack, FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CheckRequestSchema, CheckResponseSchema, type CheckRequest } from "../../src/compat/plugin/gen/buf/plugin/check/v1/check_pb";
import { RequestSchema, ResponseSchema } from "../../src/compat/plugin/gen/pluginrpc/v1/pluginrpc_pb";
import { check, checkFindings, parseOptions, PLUGIN_RULES, pluginFile, serve } from "../../src/compat/plugin/index";
import { OptionSchema, ValueSchema } from "../../src/compat/plugin/gen/buf/plugin/option/v1/option_pb";
import { CHECK } from "../../src/compat/plugin/metadata";
import { decodeCheckRequest } from "../../src/compat/plugin/request";
import { repoRoot } from "../support/buf";
import { historySteps, stepSet } from "./histories";

// Check decodes its request without the files' source info (most of the bytes buf sends), which
// annotations do not need: the responses must be those of the request decoded whole.

/** Every rule; with the reencode option unless `plain` (so that more findings are annotated). */
function checkRequest(old: FileDescriptorSet, now: FileDescriptorSet, plain = false): CheckRequest {
  return create(CheckRequestSchema, {
    fileDescriptors: now.file.map((f) => pluginFile(f)),
    againstFileDescriptors: old.file.map((f) => pluginFile(f)),
    ruleIds: PLUGIN_RULES.map((r) => r.id),
    options: plain ? [] : [create(OptionSchema, { key: "reencode", value: create(ValueSchema, { type: { case: "boolValue", value: true } }) })],
  });
}

/** The request decoded whole, with the source info then dropped: what decodeCheckRequest must give. */
function withoutInfo(request: CheckRequest): CheckRequest {
  const copy = clone(CheckRequestSchema, request);
  for (const f of [...copy.fileDescriptors, ...copy.againstFileDescriptors]) if (f.fileDescriptorProto) f.fileDescriptorProto.sourceCodeInfo = undefined;
  return copy;
}

const criu = (v: string) => fromBinary(FileDescriptorSetSchema, readFileSync(join(repoRoot, "schemas", "criu", `criu-${v}.binpb`)));

describe("buf-plugin-criu Check without source info", () => {
  it("answers every real step as with the request decoded whole", () => {
    const pairs: [string, FileDescriptorSet, FileDescriptorSet][] = [
      ...historySteps().map((s): [string, FileDescriptorSet, FileDescriptorSet] => [`${s.history} ${s.step}`, stepSet(s, "old"), stepSet(s, "new")]),
      ["criu v3.17 → v4.2", criu("v3.17"), criu("v4.2")],
    ];
    let annotated = 0;
    let withInfo = 0;
    for (const [name, old, now] of pairs) {
      const request = checkRequest(old, now);
      if ([...request.fileDescriptors, ...request.againstFileDescriptors].some((f) => f.fileDescriptorProto?.sourceCodeInfo?.location.length)) withInfo++;
      const bytes = toBinary(RequestSchema, create(RequestSchema, { value: anyPack(CheckRequestSchema, request) }));
      const whole = toBinary(ResponseSchema, create(ResponseSchema, { value: anyPack(CheckResponseSchema, check(request)) }));
      expect(Buffer.from(serve(CHECK, bytes)), name).toEqual(Buffer.from(whole));
      if (check(request).annotations.length > 0) annotated++;
    }
    expect(annotated).toBeGreaterThan(10);
    expect(withInfo).toBeGreaterThan(20); // the fixtures keep source info for the elements that differ
  });

  it("decodes any request as fromBinary does, but for the source info", () => {
    const location = fc.record({ path: fc.array(fc.integer({ min: -3, max: 300 }), { maxLength: 6 }), span: fc.array(fc.nat(5000), { maxLength: 4 }), leadingComments: fc.string() });
    const file = fc.record({
      name: fc.string({ maxLength: 12 }),
      package: fc.string({ maxLength: 8 }),
      messageType: fc.array(fc.record({ name: fc.string({ maxLength: 8 }) }), { maxLength: 3 }),
      sourceCodeInfo: fc.option(fc.record({ location: fc.array(location, { maxLength: 5 }) }), { nil: undefined }),
    });
    const descriptor = fc.record({ fileDescriptorProto: fc.option(file, { nil: undefined }), isImport: fc.boolean(), unusedDependency: fc.array(fc.nat(9), { maxLength: 2 }) });
    const request = fc
      .record({
        fileDescriptors: fc.array(descriptor, { maxLength: 3 }),
        againstFileDescriptors: fc.array(descriptor, { maxLength: 3 }),
        ruleIds: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
        options: fc.array(fc.record({ key: fc.string({ maxLength: 6 }), value: fc.constant({ type: { case: "stringValue" as const, value: "x" } }) }), { maxLength: 2 }),
      })
      .map((init) => create(CheckRequestSchema, init));
    fc.assert(
      fc.property(request, (r) => {
        expect(equals(CheckRequestSchema, decodeCheckRequest(toBinary(CheckRequestSchema, r)), withoutInfo(r))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("fails on bytes that are no request as fromBinary does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        let whole: CheckRequest | Error;
        try {
          whole = fromBinary(CheckRequestSchema, bytes);
        } catch (err) {
          whole = err as Error;
        }
        if (whole instanceof Error) expect(() => decodeCheckRequest(bytes)).toThrow(whole.message);
        else expect(equals(CheckRequestSchema, decodeCheckRequest(bytes), withoutInfo(whole))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("buf-plugin-criu and re-encode hazards", () => {
  const reencode = create(OptionSchema, { key: "reencode", value: create(ValueSchema, { type: { case: "boolValue", value: true } }) });

  it("leaves them out unless the reencode option asks for them (buf can only fail)", () => {
    let hazards = 0;
    for (const s of historySteps()) {
      const request = checkRequest(stepSet(s, "old"), stepSet(s, "new"), true);
      const plain = checkFindings(request);
      const asked = checkFindings(create(CheckRequestSchema, { ...request, options: [reencode] }));
      expect(plain.filter((f) => f.severity === "reencode"), `${s.history} ${s.step}`).toEqual([]);
      // The option adds exactly the re-encode hazards, and nothing else changes.
      expect(asked.filter((f) => f.severity !== "reencode")).toEqual(plain);
      hazards += asked.length - plain.length;
    }
    expect(hazards).toBeGreaterThan(0);
  });

  it("takes reencode only as true", () => {
    expect(parseOptions({ options: [reencode] }).reencode).toBe(true);
    const text = create(OptionSchema, { key: "reencode", value: create(ValueSchema, { type: { case: "stringValue", value: "yes" } }) });
    expect(() => parseOptions({ options: [text] })).toThrow(/option reencode: expected true/);
  });
});

