import type { FieldModel, MessageModel } from "../model";

/** `optional uint64 nr_pages = 5`, as the field reads in the .proto text (proto3 implicit presence without a label, maps as map<K, V>). */
export function fieldText(f: FieldModel): string {
  const type = f.map ? `map<${typeText(f.map.key)}, ${typeText(f.map.value)}>` : typeText(f);
  const label = f.map || f.implicit || (f.oneof && f.label === "optional") ? "" : `${f.label} `;
  return `${label}${type} ${f.name} = ${f.number}`;
}

export function typeText(f: FieldModel): string {
  return f.typeName ?? f.kind;
}

/** Whether the message reserves the number, and the name. */
export function reserved(m: MessageModel, f: FieldModel): { number: boolean; name: boolean } {
  return { number: m.reservedNumbers.some(([a, b]) => f.number >= a && f.number <= b), name: m.reservedNames.includes(f.name) };
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
