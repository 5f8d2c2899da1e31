import type { DescEnum, DescField, DescMessage, ScalarType } from "@bufbuild/protobuf";

// What a field holds, whether singular or repeated: the questions every codec asks of a field.

/** The message type of a message field or list of messages. */
export function fieldMessage(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message") return field.message;
  return field.fieldKind === "list" && field.listKind === "message" ? field.message : undefined;
}

/** The enum type of an enum field or list of enums. */
export function fieldEnum(field: DescField): DescEnum | undefined {
  if (field.fieldKind === "enum") return field.enum;
  return field.fieldKind === "list" && field.listKind === "enum" ? field.enum : undefined;
}

/** The scalar type of a scalar field or list of scalars. */
export function fieldScalar(field: DescField): ScalarType | undefined {
  if (field.fieldKind === "scalar") return field.scalar;
  return field.fieldKind === "list" && field.listKind === "scalar" ? field.scalar : undefined;
}

const byNumber = new WeakMap<DescMessage, Map<number, DescField>>();

/** A message's field with this number, if any. */
export function fieldByNumber(schema: DescMessage, no: number): DescField | undefined {
  let map = byNumber.get(schema);
  if (!map) byNumber.set(schema, (map = new Map(schema.fields.map((f) => [f.number, f]))));
  return map.get(no);
}
