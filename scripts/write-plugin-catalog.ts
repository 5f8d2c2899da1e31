// Writes src/compat/plugin/catalog.ts: the rules and categories buf-plugin-criu lists, copied from
// the rules themselves so that the plugin answers buf's metadata calls without loading them. Run
// by `npm run generate`; test/compat/plugin-metadata.test.ts fails when the copy is stale.
import { writeFileSync } from "node:fs";
import { catalogSource } from "../src/compat/plugin/catalog-source";

writeFileSync(new URL("../src/compat/plugin/catalog.ts", import.meta.url), catalogSource());
