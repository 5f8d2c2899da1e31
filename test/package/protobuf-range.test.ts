import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/buf";
import { installPacked, run } from "./consumer";

// The runtime dependency is a caret range, so that a consumer on another 2.x shares one copy of
// @bufbuild/protobuf with us. The packed package is installed twice: beside the range's floor,
// and alone (npm then picks the newest 2.x), and used through its public entry points.

const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
const range: string = manifest.dependencies["@bufbuild/protobuf"];
const lowest = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
const pstreeJson = readFileSync(join(repoRoot, "test/fixtures/corpus/proc-minimal/crit/pstree.img.json"), "utf8").trim();
const corePretty = readFileSync(join(repoRoot, "test/fixtures/corpus/proc-minimal/crit/core-26637.img.pretty.json"), "utf8").trim();

/** Decodes, prints crit's JSON and re-encodes sample images of the installed package. */
const SMOKE = `
  const { readFileSync } = require("node:fs");
  const { decodeImage, encodeImage, toCritJson, imageBytesToCritJson } = require("@criu/images");
  const dir = "node_modules/@criu/images/sample/proc-minimal/";
  const out = {};
  for (const name of ["pstree.img", "core-26637.img"]) {
    const bytes = new Uint8Array(readFileSync(dir + name));
    const image = decodeImage(bytes, { fileName: name });
    out[name] = { json: toCritJson(image, { pretty: name.startsWith("core") }), same: Buffer.from(encodeImage(image)).equals(bytes) };
  }
  out.pretty = imageBytesToCritJson(new Uint8Array(readFileSync(dir + "core-26637.img")), { pretty: true });
  console.log(JSON.stringify(out));`;

it("declares @bufbuild/protobuf as a caret range", () => {
  expect(range).toMatch(/^\^2\.\d+\.\d+$/);
});

/** "2.13.0" → [2, 13, 0], to compare versions. */
const parts = (v: string) => v.split(".").map(Number);

// The lowest: named beside the package. The newest: what the caret range gets from the registry.
describe.each([
  ["the lowest version", [`@bufbuild/protobuf@${lowest}`]],
  ["the newest version", []],
])(`@bufbuild/protobuf ${range} at %s`, (which, extra) => {
  let work = "";
  let consumer = "";
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    ({ work, consumer } = installPacked("criu-protobuf-range-", extra));
  }, 300_000);

  it("installs one copy of it", () => {
    const installed: string = JSON.parse(readFileSync(join(consumer, "node_modules/@bufbuild/protobuf/package.json"), "utf8")).version;
    if (which.includes("lowest")) expect(installed).toBe(lowest);
    else {
      const [major, minor] = parts(installed);
      expect(major).toBe(2);
      expect(minor).toBeGreaterThanOrEqual(parts(lowest!)[1]!);
      console.log(`@bufbuild/protobuf newest: ${installed}`);
    }
    expect(existsSync(join(consumer, "node_modules/@criu/images/node_modules/@bufbuild/protobuf"))).toBe(false);
  });

  it("decodes, writes crit's JSON and re-encodes the sample images (CommonJS and ESM)", () => {
    const r = JSON.parse(run("node", ["-e", SMOKE], consumer));
    expect(r["pstree.img"]).toEqual({ json: pstreeJson, same: true });
    expect(r["core-26637.img"]).toEqual({ json: corePretty, same: true });
    expect(r.pretty).toBe(corePretty);
    const esm = run("node", ["--input-type=module", "-e", `
      import { readFile } from "node:fs/promises";
      import { decodeImage, toCritJson } from "@criu/images";
      console.log(toCritJson(decodeImage(await readFile("node_modules/@criu/images/sample/proc-minimal/pstree.img"))));`], consumer);
    expect(esm.trim()).toBe(pstreeJson);
  });

  it("compares schema revisions (descriptor sets, registries, reflection)", () => {
    const r = spawnSync(join(consumer, "node_modules/.bin/criu-compat"), ["criu:v4.1", "criu:v4.2"], { cwd: consumer, encoding: "utf8" });
    expect(r.stdout).toMatch(/^0 breaking, 2 JSON-only, 2 compatible/m);
    expect(r.status).toBe(100); // JSON-only findings: see README

  });
});
