// go-criu's crit (v8.4), the second peer: a static Go binary. Its JSON dialect is protojson with
// proto field names, so its encode is timed on its own JSON.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths";

export function findGoCrit(): string | { unavailable: string } {
  const path = process.env.GO_CRIT ?? join(repoRoot, "..", "shared", "tools", "go-criu-8.4", "crit");
  return existsSync(path) ? path : { unavailable: `no go-criu crit at ${path} (set GO_CRIT)` };
}
