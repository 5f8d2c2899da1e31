import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { corpusDir } from "../support/corpus";
import { crit, critBin, startCrit, until } from "../support/crit";

// Inputs: the magic is checked after the first bytes (an endless /dev/zero fails at once), a FIFO
// with no writer is waited for without blocking the process, and every error names the input.

const image = `${corpusDir}proc-kitchen/images/files.img`;
const json = readFileSync(`${corpusDir}proc-kitchen/crit/files.img.json`, "utf8");
const work = mkdtempSync(join(tmpdir(), "crit-input-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const BAD_MAGIC = "offset 0: bad-magic: expected IMG_COMMON, IMG_SERVICE or a known image magic, not 0x00000000\n";

describe("crit on /dev/zero fails at once (an endless input: reading it all would never end)", () => {
  it.each([
    ["decode", ["decode", "-i", "/dev/zero"]],
    ["show", ["show", "/dev/zero"]],
    ["info", ["info", "/dev/zero"]],
  ])("%s", (_, args) => {
    const r = crit(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`crit: /dev/zero, ${BAD_MAGIC}`);
  });

  it("decode from standard input", () => {
    const zero = openSync("/dev/zero", "r");
    try {
      const r = spawnSync(process.execPath, [critBin, "decode"], { stdio: [zero, "pipe", "pipe"] });
      expect(r.status).toBe(1);
      expect(r.stderr.toString()).toBe(`crit: <stdin>, ${BAD_MAGIC}`);
    } finally {
      closeSync(zero);
    }
  });
});

describe("errors name the input", () => {
  it("a directory", () => {
    const r = crit(["decode", "-i", work]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`crit: ${work}: Is a directory; expected an image file\n`);
  });

  it("a missing file", () => {
    const r = crit(["info", join(work, "nope.img")]);
    expect(r.stderr).toBe(`crit: ${join(work, "nope.img")}: No such file or directory\n`);
  });

  it("garbage after a valid header, with the path as given", () => {
    const bad = join(work, "garbage.img");
    const head = readFileSync(image).subarray(0, 8);
    writeFileSync(bad, Buffer.concat([head, Buffer.from([0x05, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff])]));
    for (const args of [["decode", "-i", bad], ["show", bad], ["info", bad]]) {
      const r = crit(args);
      expect(r.code).toBe(1);
      expect(r.stderr.startsWith(`crit: ${bad}, offset `)).toBe(true);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("garbage JSON", () => {
    const bad = join(work, "garbage.json");
    writeFileSync(bad, "{\"magic\": \"FILES\", \"entries\": [{\"id\": [}");
    const r = crit(["encode", "-i", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith(`crit: ${bad}`)).toBe(true);
  });
});

describe("a FIFO as input", () => {
  it("with no writer yet: says it waits, then reads what a writer sends", async () => {
    const fifo = join(work, "in.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const child = startCrit(["decode", "-i", fifo]);
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    await until(() => stderr.includes("waiting for a writer"));
    expect(stderr).toBe(`crit: ${fifo}: waiting for a writer to the FIFO...\n`);
    writeFileSync(fifo, readFileSync(image)); // opens at once: crit holds the read end
    const r = await child.done;
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(`${json}\n`);
  });

  it("with no writer ever: a signal still ends crit at once (no thread stuck in open)", async () => {
    const fifo = join(work, "never.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const child = startCrit(["info", fifo]);
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    await until(() => stderr.includes("waiting for a writer"));
    child.kill("SIGTERM");
    // Ended by the signal (nothing to clean up, so no handler of crit's runs).
    expect((await child.done).signal).toBe("SIGTERM");
  });
});

describe("a directory for crit x", () => {
  it("missing, or not a dump: the error names the directory", () => {
    const missing = join(work, "missing-dir");
    expect(crit(["x", missing, "ps"]).stderr).toBe(`crit: ${missing}: no such file or directory\n`);
    const empty = join(work, "empty-dir");
    mkdirSync(empty);
    const r = crit(["x", empty, "ps"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`crit: ${empty}: pstree.img: image not found in the dump\n`);
    // A file is taken for an archive (x reads those too): its first bytes say it is not one.
    expect(crit(["x", image, "ps"]).stderr).toMatch(new RegExp(`^crit: ${image.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} at offset 0: not a checkpoint archive that can be read`));
  });
});
