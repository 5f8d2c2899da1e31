import type { Command } from "../command";
import { decode } from "./decode";
import { diffCommand } from "./diff";
import { encode } from "./encode";
import { explore } from "./explore";
import { info } from "./info";
import { inspectCommand } from "./inspect";
import { memparseCommand } from "./memparse";
import { show } from "./show";
import { x } from "./x";
import { criuCommand } from "../criu";

/** crit's commands, in the order `crit --help` lists them. A new command: its file, one line here. */
export const COMMANDS: Command[] = [decode, encode, info, x, show, inspectCommand, diffCommand, memparseCommand, explore, criuCommand];
