import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSparsePipesImage } from "../support/big-image";
import { crit, critBin, startCrit } from "../support/crit";

// Inputs past the size read whole (32 MiB), from pipes: streamed, spooled, and the same bytes.

const work = mkdtempSync(join(tmpdir(), "crit-large-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const image = join(work, "pipes-data.img");
const json = join(work, "pipes-data.json");

beforeAll(() => {
  writeSparsePipesImage(image, 48 << 20, 1 << 20);
  const r = crit(["decode", "-i", image, "-o", json]);
  expect(r.stderr).toBe("");
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("large inputs through pipes", () => {
  it("decode from a pipe gives what decode -i gives", () => {
    const r = spawnSync("sh", ["-c", `cat "${image}" | "${process.execPath}" "${critBin}" decode`], { maxBuffer: 256 << 20 });
    expect(r.stderr.toString()).toBe("");
    expect(sha256(r.stdout)).toBe(sha256(Buffer.concat([readFileSync(json), Buffer.from("\n")])));
  });

  it("encode from a pipe (spooled) to stdout (staged) gives the image back", () => {
    const tmp = join(work, "tmp");
    const r = spawnSync("sh", ["-c", `mkdir -p "${tmp}" && cat "${json}" | TMPDIR="${tmp}" "${process.execPath}" "${critBin}" encode`], { maxBuffer: 256 << 20 });
    expect(r.stderr.toString()).toBe("");
    expect(r.status).toBe(0);
    expect(sha256(r.stdout)).toBe(sha256(readFileSync(image)));
    // The spooled JSON and the staged image are gone.
    expect(spawnSync("ls", ["-A", tmp]).stdout.toString()).toBe("");
  });

  it("info over a pipe counts the entries", () => {
    const r = spawnSync("sh", ["-c", `cat "${image}" | "${process.execPath}" "${critBin}" info -`]);
    expect(JSON.parse(r.stdout.toString())).toEqual({ magic: "PIPES_DATA", count: 48 });
  });

  it("a reader that goes away: exit 141, nothing on stderr", async () => {
    const child = startCrit(["decode", "-i", image]);
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
    child.stdout!.destroy();
    const r = await child.done;
    expect(r.stderr).toBe("");
    expect(r.code).toBe(141);
  });
});

