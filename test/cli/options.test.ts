import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { corpusDir } from "../support/corpus";
import { crit } from "../support/crit";

// Each command checks its own options: another command's option, or a misspelt one, is a usage
// error (exit 2) with that command's usage, and nothing is written.

const dump = `${corpusDir}proc-kitchen/images`;
const work = mkdtempSync(join(tmpdir(), "crit-options-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("usage errors: exit 2, the message, the command's usage", () => {
  it.each([
    [["decode", "--nopl"], "decode: Unknown option '--nopl'", "usage: crit decode"],
    [["show", "--pretty", `${dump}/files.img`], "show: Unknown option '--pretty'", "usage: crit show"],
    [["info", "-o", "x", `${dump}/files.img`], "info: Unknown option '-o'", "usage: crit info"],
    [["encode", "extra"], 'encode: unexpected argument "extra"', "usage: crit encode"],
    [["show"], "show: too few arguments", "usage: crit show"],
    [["x", dump, "tree"], 'x: unknown explorer "tree": expected ps, fds, mems, rss or sk', "usage: crit x"],
    [["frobnicate"], 'unknown command "frobnicate"', "usage: crit {"],
    [[], "a command is required", "usage: crit {"],
  ])("crit %j", (args, message, usage) => {
    const r = crit(args);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    const [first, second] = r.stderr.split("\n");
    expect(first).toBe(`crit: ${message}`);
    expect(second!.startsWith(usage)).toBe(true);
  });

  it("x … ps -o FILE writes nothing", () => {
    const out = join(work, "ps.txt");
    const r = crit(["x", dump, "ps", "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^crit: x: Unknown option '-o'/);
    expect(existsSync(out)).toBe(false);
  });

  it("-q and --quiet are taken by the commands that read an input", () => {
    expect(crit(["info", "-q", `${dump}/files.img`]).code).toBe(0);
    expect(crit(["decode", "--quiet", "-i", `${dump}/files.img`]).code).toBe(0);
  });
});

describe("--version", () => {
  it("prints the package's version and the CRIU release it follows", () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    const r = crit(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(`crit ${version} (@criu/images), for CRIU 4.2\n`);
  });
});
