import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./buf";

// The built `crit` bin (dist/ is built by the global setup), run as a user would.
export const critBin = join(repoRoot, "dist/crit.cjs");

export interface CritResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs crit to its end, `input` on its standard input. */
export function crit(args: string[], input?: Uint8Array | string, options: { cwd?: string } = {}): CritResult {
  const r = spawnSync(process.execPath, [critBin, ...args], { input, maxBuffer: 256 << 20, cwd: options.cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** Starts crit without waiting: for FIFOs and signals. */
export function startCrit(args: string[], options: { stdio?: "pipe" | "ignore" } = {}): ChildProcess & { done: Promise<CritResult & { signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [critBin, ...args], { stdio: options.stdio ?? "pipe" });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on("data", (c: Buffer) => out.push(c));
  child.stderr?.on("data", (c: Buffer) => err.push(c));
  const done = new Promise<CritResult & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() })),
  );
  return Object.assign(child, { done });
}

/** Whether the tests run as root (how CRIU users run crit, and what the device tests need). */
export const isRoot = process.getuid?.() === 0;

/** Polls `check` until it is true (no fixed sleeps: the machine may be loaded). */
export async function until(check: () => boolean, timeoutMs = 50_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
