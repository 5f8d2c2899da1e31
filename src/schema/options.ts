import { getOption, hasOption, type DescField } from "@bufbuild/protobuf";
import { criu, type CRIU_Opts } from "../gen/opts_pb";

/**
 * The `(criu)` options of a field (extension 1018 on FieldOptions), read from its descriptor
 * at run time, or `undefined` when the field has none. These drive crit's pretty JSON: `hex`,
 * `ipadd`, `flags`, `dev`, `odev`, `dict` and `conv`.
 *
 * Works on the generated descriptors and on descriptors loaded from any descriptor set.
 */
export function criuOptions(field: DescField): CRIU_Opts | undefined {
  return hasOption(field, criu) ? getOption(field, criu) : undefined;
}
