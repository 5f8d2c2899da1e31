import type { Command } from "../command";

/** A command as `crit --help` lists it; the rest (options, help, code) is loaded when it runs. */
export interface CommandEntry {
  name: string;
  /** One line for crit's list of commands. */
  summary: string;
  load(): Promise<Command>;
}

// Each command is imported only when asked for: `crit info` loads neither the JSON encoder nor
// the checkpoint model. A new command: its file, one entry here.
/** crit's commands, in the order `crit --help` lists them. */
export const COMMANDS: CommandEntry[] = [
  { name: "decode", summary: "convert a CRIU image to JSON", load: async () => (await import("./decode")).decode },
  { name: "encode", summary: "convert JSON back to a CRIU image", load: async () => (await import("./encode")).encode },
  { name: "info", summary: "show the image type and the number of entries", load: async () => (await import("./info")).info },
  { name: "x", summary: "explore a dump (ps, fds, mems, rss, sk)", load: async () => (await import("./x")).x },
  { name: "show", summary: "convert a CRIU image to pretty JSON (decode --pretty)", load: async () => (await import("./show")).show },
  { name: "inspect", summary: "what a checkpoint holds: processes, files, sockets, mounts (checkpointctl's inspect)", load: async () => (await import("./inspect")).inspectCommand },
  { name: "diff", summary: "what changed between two checkpoints: processes, files, sockets, memory (checkpointctl's diff)", load: async () => (await import("./diff")).diffCommand },
  { name: "memparse", summary: "process memory of a dump: sizes, a hexdump, or a search", load: async () => (await import("./memparse")).memparseCommand },
  { name: "explore", summary: "open a dump in the web explorer (served on 127.0.0.1)", load: async () => (await import("./explore")).explore },
  { name: "criu", summary: "ask a real CRIU over its RPC socket (version, check)", load: async () => (await import("../criu")).criuCommand },
];
