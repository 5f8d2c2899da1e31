import type { FieldModel, MessageModel } from "../model";

/** `optional uint64 nr_pages = 5`, as the field reads in the .proto text. */
export function fieldText(f: FieldModel): string {
  return `${f.label} ${f.typeName ?? f.kind} ${f.name} = ${f.number}`;
}

/** The field of `message` that now carries `field`'s name under another number, if any. */
export function sameNameElsewhere(field: FieldModel, message: MessageModel): FieldModel | undefined {
  const other = message.byName.get(field.name);
  return other && other.number !== field.number ? other : undefined;
}

/**
 * A field that only changed its number: its name moved from number a to b, a is gone from the
 * new message and b was free in the old one. Returns the old and new field.
 */
export function renumbering(
  oldMessage: MessageModel,
  newMessage: MessageModel,
  name: string,
): { old: FieldModel; new: FieldModel } | undefined {
  const before = oldMessage.byName.get(name);
  const after = newMessage.byName.get(name);
  if (!before || !after || before.number === after.number) return undefined;
  if (newMessage.byNumber.has(before.number) || oldMessage.byNumber.has(after.number)) return undefined;
  return { old: before, new: after };
}
