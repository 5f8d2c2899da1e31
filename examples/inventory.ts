// Reads the inventory of the bundled sample checkpoint with the generated schema.
//   npx tsx examples/inventory.ts [DIR]
import { readFileSync } from "node:fs";
import { fromBinary, toJsonString } from "@bufbuild/protobuf";
import { inventory_entrySchema } from "../src/index";

const dir = process.argv[2] ?? new URL("../sample/proc-minimal/", import.meta.url).pathname;
const file = readFileSync(`${dir}/inventory.img`);
// inventory.img: the INVENTORY magic (no common word before it), then one length-prefixed entry.
const size = file.readUInt32LE(4);
const inventory = fromBinary(inventory_entrySchema, file.subarray(8, 8 + size));
console.log(toJsonString(inventory_entrySchema, inventory, { prettySpaces: 2 }));
