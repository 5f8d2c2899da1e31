import { ScalarType as ProtobufScalarType } from "@bufbuild/protobuf";
import { WireType as ProtobufWireType } from "@bufbuild/protobuf/wire";

// @bufbuild/protobuf's ScalarType and WireType, copied once into plain objects of this package
// for the codecs' inner loops. Where the package runs as CommonJS (dist/index.cjs, or a
// TypeScript loader), every `ScalarType.X` read through the dependency's exports is a getter
// call: image → JSON of core and mm images ran 1.5× slower for it. Same names, same values.

export const ScalarType: typeof ProtobufScalarType = { ...ProtobufScalarType };
export type ScalarType = ProtobufScalarType;

export const WireType: typeof ProtobufWireType = { ...ProtobufWireType };
export type WireType = ProtobufWireType;
