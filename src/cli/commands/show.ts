import { flag, QUIET, QUIET_HELP, type Command } from "../command";
import { imageToJson } from "../image-json";

export const show: Command = {
  name: "show",
  help: `usage: crit show [-h] [--nopl] [-q] IN

Convert a CRIU image to pretty JSON on standard output.

options:
  --nopl         replace payloads (pipe data, socket queues, ...) by their size
${QUIET_HELP}`,
  options: { nopl: { type: "boolean" }, ...QUIET },
  positionals: { min: 1, max: 1 },
  run: (values, [path]) => imageToJson(path, undefined, { pretty: true, noPayload: flag(values, "nopl"), quiet: flag(values, "quiet") }),
};
