import { clone, create, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { scalarZeroValue } from "@bufbuild/protobuf/reflect";
import fc from "fast-check";
import { scalarArbitrary } from "./scalar";

/** presence LEGACY_REQUIRED (proto2 `required`). */
const REQUIRED = 3;

export interface MessageArbitraryOptions {
  /** Largest number of elements of a repeated field (default 3). */
  maxList?: number;
}

const cache = new Map<string, fc.Arbitrary<Message>>();

/**
 * Random protobuf-es messages of `schema`: every scalar kind over its full range, enums with
 * known values, nested messages down to `depth` levels, repeated fields of 0..3 elements,
 * required fields always set, optional fields present or absent (proto2 presence).
 * Below the depth bound, optional messages are left out and required ones are minimal.
 */
export function messageArbitrary(schema: DescMessage, depth = 4, options: MessageArbitraryOptions = {}): fc.Arbitrary<Message> {
  const maxList = options.maxList ?? 3;
  const key = `${schema.typeName}/${depth}/${maxList}`;
  let arb = cache.get(key);
  if (arb) return arb;
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const field of schema.fields) {
    const value = fieldArbitrary(field, depth, maxList);
    if (!value) continue;
    fields[field.localName] = value;
    if (field.presence === REQUIRED) required.push(field.localName);
  }
  arb = fc
    .record(fields, { requiredKeys: required })
    .map((init) => create(schema, init as never) as Message);
  cache.set(key, arb);
  return arb;
}

function fieldArbitrary(field: DescField, depth: number, maxList: number): fc.Arbitrary<unknown> | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return scalarArbitrary(field.scalar);
    case "enum":
      return fc.constantFrom(...field.enum.values.map((v) => v.number));
    case "message":
      if (depth > 0) return messageArbitrary(field.message, depth - 1, { maxList });
      return field.presence === REQUIRED ? fc.constant(null).map(() => minimalMessage(field.message)) : undefined;
    case "list": {
      const item =
        field.listKind === "scalar"
          ? scalarArbitrary(field.scalar)
          : field.listKind === "enum"
            ? fc.constantFrom(...field.enum.values.map((v) => v.number))
            : depth > 0
              ? messageArbitrary(field.message, depth - 1, { maxList })
              : undefined;
      return item && fc.array(item, { maxLength: maxList });
    }
    case "map":
      throw new Error(`CRIU schemas have no map fields (${field.toString()})`);
  }
}

/** A message with only its required fields set, to zero values (recursively). */
export function minimalMessage(schema: DescMessage): Message {
  const init: Record<string, unknown> = {};
  for (const field of schema.fields) {
    if (field.presence !== REQUIRED) continue;
    if (field.fieldKind === "message") init[field.localName] = minimalMessage(field.message);
    else if (field.fieldKind === "enum") init[field.localName] = field.enum.values[0]!.number;
    else if (field.fieldKind === "scalar") init[field.localName] = scalarZeroValue(field.scalar, false);
  }
  return create(schema, init as never) as Message;
}

/** A copy of `message` with some fields set (generated messages are never mutated in place). */
export function withFields<M extends Message>(schema: DescMessage, message: M, values: Record<string, unknown>): M {
  return Object.assign(clone(schema, message), values) as M;
}
