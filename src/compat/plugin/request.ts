// A CheckRequest decoded without its files' SourceCodeInfo: buf sends both revisions compiled with
// source info (locations and comments, four fifths of the bytes on a large schema), and decoding
// that into messages was most of a Check call. The plugin needs none of it: annotations name an
// element by file and source path, and buf finds the lines itself. So the source info is cut out
// of the bytes before they are decoded.

import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { CheckRequestSchema, type CheckRequest } from "./gen/buf/plugin/check/v1/check_pb";

// Field numbers: CheckRequest.file_descriptors and against_file_descriptors,
// FileDescriptor.file_descriptor_proto, FileDescriptorProto.source_code_info.
const FILES = 1;
const AGAINST_FILES = 2;
const FILE_PROTO = 1;
const SOURCE_CODE_INFO = 9;

/**
 * fromBinary(CheckRequestSchema, bytes), except that the files' source_code_info is left unset.
 * Bytes that are not a well-formed request are decoded whole, so that the error is fromBinary's.
 */
export function decodeCheckRequest(bytes: Uint8Array): CheckRequest {
  let lean: Uint8Array | undefined;
  try {
    lean = withoutSourceInfo(bytes);
    return fromBinary(CheckRequestSchema, lean);
  } catch {
    return fromBinary(CheckRequestSchema, bytes);
  }
}

/** The request's bytes without any FileDescriptorProto.source_code_info field. */
export function withoutSourceInfo(bytes: Uint8Array): Uint8Array {
  return rewrite(bytes, (no, fileDescriptor) =>
    no !== FILES && no !== AGAINST_FILES
      ? undefined
      : rewrite(fileDescriptor, (n, proto) => (n !== FILE_PROTO ? undefined : rewrite(proto, (m) => (m === SOURCE_CODE_INFO ? null : undefined)))),
  );
}

/**
 * Copies a message's bytes field by field; `edit` sees each length-delimited field and returns
 * its new value, null to drop it, or undefined to keep it as it is.
 */
function rewrite(bytes: Uint8Array, edit: (no: number, value: Uint8Array) => Uint8Array | null | undefined): Uint8Array {
  const r = new BinaryReader(bytes);
  const w = new BinaryWriter();
  while (r.pos < r.len) {
    const start = r.pos;
    const [no, wireType] = r.tag();
    const value = wireType === WireType.LengthDelimited ? r.bytes() : undefined;
    if (value === undefined) r.skip(wireType, no);
    const replaced = value === undefined ? undefined : edit(no, value);
    if (replaced === undefined) w.raw(bytes.subarray(start, r.pos));
    else if (replaced !== null) w.tag(no, WireType.LengthDelimited).bytes(replaced);
  }
  return w.finish();
}
