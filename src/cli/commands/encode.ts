import { flag, QUIET, QUIET_HELP, stringOption, type Command } from "../command";
import { jsonToImage } from "../json-image";

export const encode: Command = {
  name: "encode",
  help: `usage: crit encode [-h] [-i IN] [-o OUT] [-q]

Convert crit's JSON (plain or pretty) back to a CRIU image.

options:
  -i, --in IN    the JSON file (default: standard input)
  -o, --out OUT  where to write the image (default: standard output)
${QUIET_HELP}`,
  options: { in: { type: "string", short: "i" }, out: { type: "string", short: "o" }, ...QUIET },
  positionals: { min: 0, max: 0 },
  run: (values) => jsonToImage(stringOption(values, "in"), stringOption(values, "out"), flag(values, "quiet")),
};
