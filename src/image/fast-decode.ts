import type { DescMessage } from "@bufbuild/protobuf";
import { compiledDecoder } from "./compile-decode";
import { planFor, type FastDecoder } from "./decode-plan";
import { interpreted } from "./interpret-decode";

/**
 * A decoder specialised from a message's descriptor, for the common case: bytes that
 * protobuf-es would write back exactly (fields in number order, shortest varints, known fields
 * and enum values only, strict UTF-8 strings, no packed lists). It builds the same objects as
 * `fromBinary`, several times faster, and such messages need no copy of their original bytes.
 * For anything else it returns undefined and the caller uses `fromBinary`, which keeps what it
 * cannot represent.
 */
export function fastDecoder(schema: DescMessage, options: { interpret?: boolean } = {}): FastDecoder {
  const plan = planFor(schema);
  if (!options.interpret) {
    const compiled = compiledDecoder(plan);
    if (compiled) return compiled;
  }
  return interpreted(plan);
}
