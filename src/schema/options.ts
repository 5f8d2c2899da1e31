import { getOption, hasOption, type DescField } from "@bufbuild/protobuf";
import { criu, type CRIU_Opts } from "../gen/opts_pb";

/** Decoding an option is costly and renderers ask for every value: one read per field. */
const cache = new WeakMap<DescField, CRIU_Opts | null>();

/**
 * The `(criu)` options of a field (extension 1018 on FieldOptions), read from its descriptor
 * at run time, or `undefined` when the field has none. These drive crit's pretty JSON: `hex`,
 * `ipadd`, `flags`, `dev`, `odev`, `dict` and `conv`. The returned object is shared: do not
 * change it.
 *
 * Works on the generated descriptors and on descriptors loaded from any descriptor set.
 */
export function criuOptions(field: DescField): CRIU_Opts | undefined {
  let opts = cache.get(field);
  if (opts === undefined) {
    opts = hasOption(field, criu) ? getOption(field, criu) : null;
    cache.set(field, opts);
  }
  return opts ?? undefined;
}
