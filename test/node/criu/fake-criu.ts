import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type FakeMode = "exit-3" | "signal" | "close" | "hang" | "wrong-type" | "garbage" | "fail" | "notify";

const script = fileURLToPath(new URL("./fake-criu.cjs", import.meta.url));
const socketModule = createRequire(import.meta.url).resolve("node-unix-socket");
const dir = mkdtempSync(join(tmpdir(), "fake-criu-"));

/** An executable that behaves as `criu swrk FD` would when it goes wrong in the way `mode` says. */
export function fakeCriu(mode: FakeMode): string {
  const path = join(dir, mode);
  writeFileSync(
    path,
    `#!/bin/sh\nFAKE_CRIU_SOCKET_MODULE='${socketModule}' exec '${process.execPath}' '${script}' ${mode} "$@"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}
