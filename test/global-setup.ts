import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Builds dist/ once, before any test: the CLI and packaging tests use the built files. The CLI
 * keeps a V8 code cache under $XDG_CACHE_HOME (~/.cache): the test run gets its own, removed at
 * the end, so that tests never write into the user's home.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL("../", import.meta.url));
  execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  const cache = mkdtempSync(join(tmpdir(), "criu-images-test-cache-"));
  process.env.XDG_CACHE_HOME = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
