// Facts about field kinds that decide what a type change does to the bytes and the values.

export type Kind =
  | "double" | "float" | "int64" | "uint64" | "int32" | "fixed64" | "fixed32" | "bool" | "string"
  | "group" | "message" | "bytes" | "uint32" | "enum" | "sfixed32" | "sfixed64" | "sint32" | "sint64";

export type WireType = "varint" | "fixed64" | "len" | "group" | "fixed32";

export function wireType(kind: Kind): WireType {
  switch (kind) {
    case "double": case "fixed64": case "sfixed64": return "fixed64";
    case "float": case "fixed32": case "sfixed32": return "fixed32";
    case "string": case "bytes": case "message": return "len";
    case "group": return "group";
    default: return "varint";
  }
}

/** Kinds that may be packed; a packed list is one length-delimited record. */
export function isPackable(kind: Kind): boolean {
  const w = wireType(kind);
  return w === "varint" || w === "fixed32" || w === "fixed64";
}

export function isInteger(kind: Kind): boolean {
  return ["int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"].includes(kind);
}

export function isZigzag(kind: Kind): boolean {
  return kind === "sint32" || kind === "sint64";
}

export function isSigned(kind: Kind): boolean {
  return ["int32", "int64", "sint32", "sint64", "sfixed32", "sfixed64", "enum"].includes(kind);
}

/** Bits of the value a reader keeps; enums are int32 on the wire. */
export function widthOf(kind: Kind): 32 | 64 {
  return ["int64", "uint64", "sint64", "fixed64", "sfixed64", "double"].includes(kind) ? 64 : 32;
}
