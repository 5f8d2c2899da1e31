// Progress as a user sees it: crit run on a terminal (a pty made by util-linux `script`), reading
// an image from a FIFO that a slow writer feeds. After a second the progress line appears on
// stderr, redrawn in place, and is cleared at the end; with --quiet, or without a terminal, never.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { corpusDir } from "../support/corpus";
import { openArchiveFile } from "../../src/node/archive-file";
import { fixturePath } from "../support/fixtures";

const bin = join(repoRoot, "dist/crit.cjs");
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript) console.warn("progress-on-a-terminal tests skipped: no util-linux `script` to make a pty");
const work = mkdtempSync(join(tmpdir(), "crit-pty-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `crit ARGS` on a pty, feeding `bytes` into FIFO in three parts with pauses; the terminal's text. */
async function onTerminal(args: string[], fifo: string, bytes: Uint8Array): Promise<{ code: number | null; text: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const child = spawn("script", ["-qfec", [process.execPath, bin, ...args].map(quote).join(" "), "/dev/null"], { stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (c: Buffer) => (text += c.toString("latin1")));
  child.stderr.on("data", (c: Buffer) => (text += c.toString("latin1")));
  const fd = openSync(fifo, "w"); // waits for crit to open it
  const third = Math.floor(bytes.length / 3);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  writeSync(fd, bytes.subarray(0, third));
  await pause(1500);
  writeSync(fd, bytes.subarray(third, 2 * third));
  await pause(400);
  writeSync(fd, bytes.subarray(2 * third));
  closeSync(fd);
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  return { code, text };
}

describe.skipIf(!hasScript)("progress on a terminal", () => {
  const image = readFileSync(`${corpusDir}proc-minimal/images/pagemap-26637.img`);

  it("appears after a second, redrawn in place, and is cleared", async () => {
    const fifo = join(work, "slow.img");
    execFileSync("mkfifo", [fifo]);
    const { code, text } = await onTerminal(["decode", "-i", fifo, "-o", "/dev/null"], fifo, image);
    expect(code).toBe(0);
    expect(text).toMatch(new RegExp(`\\r\\x1b\\[Kcrit: ${fifo.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: \\d+\\.\\d MiB, [\\d.]+ MiB/s`));
    expect(text.endsWith("\r\x1b[K")).toBe(true); // cleared before exit
  }, 30_000);

  it("is never shown with --quiet", async () => {
    const fifo = join(work, "quiet.img");
    execFileSync("mkfifo", [fifo]);
    const { code, text } = await onTerminal(["decode", "-q", "-i", fifo, "-o", "/dev/null"], fifo, image);
    expect(code).toBe(0);
    expect(text).not.toContain("crit: ");
  }, 30_000);
});

describe("reading a compressed archive reports each pass", () => {
  it("bytes of the file per pass, up to its size", async () => {
    const path = fixturePath("archives/podman-busybox.tar.zst");
    const seen = new Map<number, number[]>();
    const source = await openArchiveFile(path, { onRead: (done, total, pass) => void (seen.get(pass) ?? seen.set(pass, []).get(pass)!).push(done, total) });
    try {
      const members = await source.members();
      const pages = members.find((m) => /pages-\d+\.img$/.test(m.name))!;
      await source.readRanges([{ name: pages.name, offset: 0, length: 4096 }]);
    } finally {
      await source.close();
    }
    const size = readFileSync(path).length;
    expect(seen.size).toBeGreaterThanOrEqual(1);
    for (const [, calls] of seen) {
      const dones = calls.filter((_, i) => i % 2 === 0);
      expect(calls.filter((_, i) => i % 2 === 1).every((t) => t === size)).toBe(true);
      expect(dones).toEqual([...dones].sort((a, b) => a - b));
      expect(dones.at(-1)).toBeLessThanOrEqual(size);
    }
  });
});
