import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Builds dist/ once, before any test: the CLI and packaging tests use the built files. */
export default function setup(): void {
  const root = fileURLToPath(new URL("../", import.meta.url));
  execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}
