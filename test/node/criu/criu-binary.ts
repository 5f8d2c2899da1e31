import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The real CRIU for the tests that drive one: $CRIU_BINARY, else ../shared/tools/criu beside the
 * repository (a tool, not a fixture). `skip` says why it cannot run here (printed, never silent).
 */
export interface CriuBinary {
  binary: string | undefined;
  skip: string | undefined;
}

const sharedCriu = fileURLToPath(new URL("../../../../shared/tools/criu", import.meta.url));

export function findCriu(): CriuBinary {
  const binary = process.env.CRIU_BINARY || (existsSync(sharedCriu) ? sharedCriu : undefined);
  const skip = whyNot(binary);
  if (skip) console.warn(`SKIP real-CRIU tests: ${skip}`);
  return { binary, skip };
}

function whyNot(binary: string | undefined): string | undefined {
  if (!binary) return `no CRIU binary: set CRIU_BINARY (and ${sharedCriu} does not exist)`;
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
