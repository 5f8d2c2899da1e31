import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { corpusDir } from "../support/corpus";
import { crit, critBin, isRoot, startCrit } from "../support/crit";

// `-o` and standard output: atomic replacement for regular files only; devices, FIFOs and
// /dev/stdout written in place; symlinks followed; read-only targets refused; errors name the
// path given. As root (how CRIU users run crit) a careless rename would replace /dev/null.

const image = `${corpusDir}proc-kitchen/images/files.img`;
const json = readFileSync(`${corpusDir}proc-kitchen/crit/files.img.json`);
const work = mkdtempSync(join(tmpdir(), "crit-output-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".tmp"));

if (!isRoot) console.log("output.test.ts: not root, so the tests of root's view (owners, read-only files root could write) are skipped");

describe("crit -o onto what is not a regular file", () => {
  it("/dev/null stays a character device", () => {
    const r = crit(["decode", "-i", image, "-o", "/dev/null"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("/dev/stdout prints the bytes", () => {
    const r = crit(["decode", "-i", image, "-o", "/dev/stdout"]);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(json)).toBe(true);
  });

  it("/dev/stderr and /dev/fd/N write to those descriptors (a pipe here), never a file", () => {
    const r = crit(["decode", "-i", image, "-o", "/dev/stderr"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(json.toString());
    const s = spawnSync(process.execPath, [critBin, "decode", "-i", image, "-o", "/dev/fd/3"], { stdio: ["ignore", "pipe", "pipe", "pipe"] });
    expect(s.status).toBe(0);
    expect(Buffer.from(s.output[3] as Buffer).equals(json)).toBe(true);
  });

  it("a FIFO with a reader: the reader gets the bytes, the FIFO stays", async () => {
    const fifo = join(work, "out.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const got: Buffer[] = [];
    const reading = new Promise<void>((resolve, reject) => createReadStream(fifo).on("data", (c) => got.push(c as Buffer)).on("end", resolve).on("error", reject));
    // Not spawnSync: the reader must open the FIFO while crit runs.
    const r = await startCrit(["decode", "-i", image, "-o", fifo]).done;
    await reading;
    expect(r.code).toBe(0);
    expect(Buffer.concat(got).equals(json)).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("a symbolic link: followed, the link kept, its target replaced with its mode kept", () => {
    const target = join(work, "target.json");
    const link = join(work, "link.json");
    writeFileSync(target, "old");
    chmodSync(target, 0o640);
    symlinkSync("target.json", link);
    expect(crit(["decode", "-i", image, "-o", link]).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("target.json");
    expect(readFileSync(target).equals(json)).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(leftovers(work)).toEqual([]);
  });

  it("a dangling symbolic link: its target is created", () => {
    const link = join(work, "dangling.json");
    symlinkSync("created.json", link);
    expect(crit(["decode", "-i", image, "-o", link]).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(work, "created.json")).equals(json)).toBe(true);
  });

  it("a directory: an error naming it", () => {
    const r = crit(["decode", "-i", image, "-o", work]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`crit: ${work}: Is a directory\n`);
  });

  it("/dev/full, as -o or as standard output: one line, no stack", () => {
    const r = crit(["decode", "-i", image, "-o", "/dev/full"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("crit: /dev/full: No space left on device\n");
    const full = openSync("/dev/full", "w");
    try {
      const s = spawnSync(process.execPath, [critBin, "decode", "-i", image], { stdio: ["ignore", full, "pipe"] });
      expect(s.status).toBe(1);
      expect(s.stderr.toString()).toBe("crit: stdout: No space left on device\n");
    } finally {
      closeSync(full);
    }
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });
});

describe("crit -o onto a file or a new path", () => {
  it("into a missing directory: the error names the path given, not a temporary name", () => {
    const out = join(work, "missing", "out.json");
    const r = crit(["decode", "-i", image, "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`crit: ${out}: No such file or directory\n`);
  });

  it("a new file gets 0666 less the umask; an existing one keeps its mode", () => {
    const out = join(work, "mode.json");
    expect(crit(["decode", "-i", image, "-o", out]).code).toBe(0);
    const umask = process.umask();
    expect(statSync(out).mode & 0o777).toBe(0o666 & ~umask);
    chmodSync(out, 0o604);
    expect(crit(["decode", "-i", image, "-o", out]).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o604);
  });

  it("a read-only file is refused and left as it was (root included)", () => {
    const out = join(work, "readonly.json");
    writeFileSync(out, "keep");
    chmodSync(out, 0o444);
    const r = crit(["decode", "-i", image, "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^crit: ${out}: Permission denied`));
    expect(readFileSync(out, "utf8")).toBe("keep");
    expect(leftovers(work)).toEqual([]);
  });

  it("a read-only directory is refused (root included), nothing left in it", () => {
    const dir = join(work, "readonly-dir");
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    const out = join(dir, "out.json");
    const r = crit(["decode", "-i", image, "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^crit: ${out}: Permission denied`));
    expect(readdirSync(dir)).toEqual([]);
    chmodSync(dir, 0o755);
  });

  it.skipIf(!isRoot)("as root, a replaced file keeps its owner", () => {
    const out = join(work, "owned.json");
    writeFileSync(out, "old");
    chownSync(out, 1234, 5678);
    expect(crit(["decode", "-i", image, "-o", out]).code).toBe(0);
    expect(statSync(out)).toMatchObject({ uid: 1234, gid: 5678 });
    expect(readFileSync(out).equals(json)).toBe(true);
  });

  it("a wrong input leaves an existing output untouched, and no temporary file", () => {
    const out = join(work, "untouched.json");
    writeFileSync(out, "old");
    const r = crit(["decode", "-i", "/dev/zero", "-o", out]);
    expect(r.code).toBe(1);
    expect(readFileSync(out, "utf8")).toBe("old");
    expect(existsSync(out)).toBe(true);
    expect(leftovers(work)).toEqual([]);
  });

  it("an image damaged after its first MiB of JSON: the file is left as it was, no temporary file", () => {
    // `-o` writes a small image's JSON in 1 MiB chunks as it is made: the bad entry is reached
    // after some are in the temporary file, which must then go, the old file staying whole.
    const entries = JSON.parse(json.toString()).entries as unknown[];
    const many = { magic: "FILES", entries: Array.from({ length: Math.ceil(3e6 / json.length) }, () => entries).flat() };
    const jsonIn = join(work, "many.json");
    const good = join(work, "many.img");
    writeFileSync(jsonIn, JSON.stringify(many));
    expect(crit(["encode", "-i", jsonIn, "-o", good]).code).toBe(0);
    const damaged = join(work, "damaged.img");
    const bytes = readFileSync(good);
    writeFileSync(damaged, bytes.subarray(0, bytes.length - 3));
    const out = join(work, "kept.json");
    writeFileSync(out, "old");
    const r = crit(["decode", "--pretty", "-i", damaged, "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toMatch(/^crit: .*damaged\.img, .*offset \d+/);
    expect(readFileSync(out, "utf8")).toBe("old");
    expect(leftovers(work)).toEqual([]);
    // The same image whole: the JSON spans several chunks and equals what standard output gets.
    const whole = crit(["decode", "--pretty", "-i", good]);
    expect(crit(["decode", "--pretty", "-i", good, "-o", out]).code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(2 << 20);
    expect(Buffer.concat([readFileSync(out), Buffer.from("\n")]).equals(whole.stdout)).toBe(true);
  });
});
