import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * The real CRIU for the tests that drive one: $CRIU_BINARY (.ci/run sets it), else `criu` on
 * PATH, as the client itself looks for it. Nothing outside the repository is assumed. `skip` says
 * why it cannot run here (printed, never silent).
 */
export interface CriuBinary {
  binary: string | undefined;
  skip: string | undefined;
}

export function findCriu(): CriuBinary {
  const binary = process.env.CRIU_BINARY || onPath("criu");
  const skip = whyNot(binary);
  if (skip) console.warn(`SKIP real-CRIU tests: ${skip}`);
  return { binary, skip };
}

function whyNot(binary: string | undefined): string | undefined {
  if (!binary) return "no CRIU binary: set CRIU_BINARY, or put criu on PATH";
  if (process.platform !== "linux") return `CRIU runs on Linux only, this is ${process.platform}`;
  if (process.getuid?.() !== 0) return "not root: CRIU's check, dump and restore need root";
  try {
    execFileSync(binary, ["check"], { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
  } catch (err) {
    const e = err as { status?: number; stderr?: Buffer; message: string };
    const said = e.stderr?.toString().trim().split("\n").slice(-3).join(" | ");
    return `\`${binary} check\` failed (exit status ${e.status ?? "?"}): ${said || e.message}`;
  }
  return undefined;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}
