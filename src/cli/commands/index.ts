import type { Command } from "../command";
import { decode } from "./decode";
import { encode } from "./encode";
import { info } from "./info";
import { show } from "./show";
import { x } from "./x";

/** crit's commands, in the order `crit --help` lists them. A new command: its file, one line here. */
export const COMMANDS: Command[] = [decode, encode, info, x, show];
