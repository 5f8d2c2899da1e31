import { ScalarType as ProtobufScalarType } from "@bufbuild/protobuf";
import { WireType as ProtobufWireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { ScalarType, WireType } from "../../src/schema/scalar-type";

// The codecs read ScalarType and WireType from plain copies (src/schema/scalar-type.ts), so that a
// CommonJS build does not call an export getter per read. The copies must say what the enums say.
describe("ScalarType and WireType copies", () => {
  for (const [name, copy, original] of [
    ["ScalarType", ScalarType, ProtobufScalarType],
    ["WireType", WireType, ProtobufWireType],
  ] as const) {
    it(`${name} has every member of @bufbuild/protobuf's, with the same value`, () => {
      expect(Object.keys(copy).sort()).toEqual(Object.keys(original).sort());
      for (const key of Object.keys(original)) expect((copy as Record<string, unknown>)[key], key).toBe((original as Record<string, unknown>)[key]);
      expect(Object.keys(copy).length).toBeGreaterThan(4);
    });

    it(`${name}'s members are plain values, not getters`, () => {
      for (const key of Object.keys(copy)) {
        const d = Object.getOwnPropertyDescriptor(copy, key)!;
        expect(d.get, key).toBeUndefined();
        expect("value" in d, key).toBe(true);
      }
    });
  }
});
