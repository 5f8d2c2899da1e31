import { flag, QUIET, QUIET_HELP, stringOption, type Command } from "../command";
import { imageToJson } from "../image-json";

export const decode: Command = {
  name: "decode",
  help: `usage: crit decode [-h] [-i IN] [-o OUT] [--pretty] [-q]

Convert a CRIU image to crit's JSON.

options:
  -i, --in IN    the image file (default: standard input)
  -o, --out OUT  where to write the JSON (default: standard output)
  --pretty       indent, and print hex, flags, devices and addresses as crit does
${QUIET_HELP}`,
  options: { in: { type: "string", short: "i" }, out: { type: "string", short: "o" }, pretty: { type: "boolean" }, ...QUIET },
  positionals: { min: 0, max: 0 },
  run: (values) =>
    imageToJson(stringOption(values, "in"), stringOption(values, "out"), { pretty: flag(values, "pretty"), noPayload: false, quiet: flag(values, "quiet") }),
};
