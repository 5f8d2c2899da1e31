// Every corpus dump opens as a model, as a plain dump directory: no exception, no warning on
// dumps CRIU wrote whole, every task of pstree.img in the tree.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeImage } from "../../src/image/decode";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import { CheckpointError } from "../../src/checkpoint/model/errors";
import { inspectCheckpoint } from "../../src/checkpoint/views/inspect";
import { renderInspectTree } from "../../src/checkpoint/views/inspect-tree";
import { sourceFromFiles } from "../../src/source/files";
import { corpusDir, readBytes, scenarios } from "../support/corpus";
import { readTree, sourceFromDirs } from "../support/source-dir";

const DUMPS = scenarios().map((s) => `${s}/images`);

/** Where the model cannot read argv/environment, and why (pages held only by the parent dump). */
const EXPECTED_WARNINGS: Record<string, RegExp> = { "old-v4.1-predump/images": /in the parent dump's pages/ };

describe("every corpus dump opens", () => {
  it.each(DUMPS)("%s", async (dump) => {
    const cp = await openCheckpoint(sourceFromDirs([[corpusDir + dump, ""]], dump));
    const pstree = decodeImage(readBytes(`${corpusDir}${dump}/pstree.img`), { expect: "PSTREE" }).entries;
    expect(cp.tasks.map((t) => t.pid)).toEqual(pstree.map((e) => e.pid));
    expect(cp.roots.length).toBe(1);
    const expected = EXPECTED_WARNINGS[dump];
    if (expected) expect(cp.warnings.every((w) => expected.test(w.message))).toBe(true);
    else expect(cp.warnings).toEqual([]);
    for (const t of cp.tasks.filter((t) => t.state === "Alive")) {
      if (!expected) expect(t.argv?.length).toBeGreaterThan(0);
      expect(t.namespaces).toBeDefined();
    }
    const data = inspectCheckpoint(cp, { all: true });
    expect(JSON.parse(JSON.stringify(data)).process_tree.pid).toBe(cp.roots[0]!.pid);
    expect(renderInspectTree(cp, data, { all: true })).toContain("Process tree");
  });

  it("says a pre-dump (memory only) is not a whole checkpoint", async () => {
    const dump = `${corpusDir}old-v4.1-predump/predump/images`;
    expect(existsSync(dump)).toBe(true);
    const err = (await openCheckpoint(sourceFromDirs([[dump, ""]], "predump")).catch((e: unknown) => e)) as CheckpointError;
    expect([err.kind, err.missing]).toEqual(["incomplete", ["pstree.img"]]);
  });

  describe("argv and environment held by a pre-dump parent (old-v4.1-predump)", () => {
    const dir = `${corpusDir}old-v4.1-predump/`;
    const check = (cp: Awaited<ReturnType<typeof openCheckpoint>>) => {
      expect(cp.warnings).toEqual([]);
      for (const t of cp.tasks) {
        expect(t.argv).toEqual(["/srv/corpus-work/old-bin/old-mem", "shared"]);
        expect(t.environ!.length).toBeGreaterThan(0);
      }
    };
    it("given as parents", async () => {
      check(await openCheckpoint(sourceFromDirs([[dir + "images", ""]]), { parents: [sourceFromDirs([[dir + "predump/images", ""]])] }));
    });
    it("carried inside the source under parent/", async () => {
      check(await openCheckpoint(sourceFromDirs([[dir + "images", ""], [dir + "predump/images", "parent/"]])));
    });
    it("found through the directory's parent link", async () => {
      const { openSource, openParentSources } = await import("../../src/node/index");
      const parents = await openParentSources(dir + "images");
      expect(parents).toHaveLength(1);
      check(await openCheckpoint(await openSource(dir + "images"), { parents }));
    });
  });

  it("shows exited tasks with their state and no resources (proc-tree)", async () => {
    const cp = await openCheckpoint(sourceFromDirs([[`${corpusDir}proc-tree/images`, ""]]));
    // SCENARIO.md: A's child exited with status 3, C with 7, D killed by SIGTERM; none reaped.
    const exited = cp.tasks.filter((t) => t.state === "Dead");
    expect(exited.map((t) => t.pid).sort()).toEqual([26974, 26975, 26981]);
    expect(exited.every((t) => t.stateCode === 2)).toBe(true);
    const text = renderInspectTree(cp, inspectCheckpoint(cp, { all: true }), { all: true });
    expect(text).toContain("[26981 (Dead)]  corpus-A");
    for (const t of exited) {
      expect(t.fds).toEqual([]);
      expect(t.argv).toBeUndefined();
    }
  });
});

describe("openCheckpoint errors", () => {
  it("names what is there when there are no images", async () => {
    const err = await openCheckpoint(sourceFromFiles({ "config.dump": new Uint8Array(2), "README": new Uint8Array(1) }, "x.tar")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).kind).toBe("not-a-checkpoint");
    expect((err as CheckpointError).message).toMatch(/x\.tar: no CRIU images .* it holds config\.dump, README/);
  });

  it("names the missing pstree.img of an incomplete checkpoint/", async () => {
    const files = readTree(`${corpusDir}podman-busybox/images`, "checkpoint/");
    files.delete("checkpoint/pstree.img");
    const err = (await openCheckpoint(sourceFromFiles(files, "bb")).catch((e: unknown) => e)) as CheckpointError;
    expect([err.kind, err.missing]).toEqual(["incomplete", ["checkpoint/pstree.img"]]);
    expect(err.message).toMatch(/checkpoint\/ lacks pstree\.img; it holds \d+ files \(checkpoint\/cgroup\.img/);
  });

  it("says why pstree.img cannot be read", async () => {
    const files = readTree(`${corpusDir}podman-busybox/images`);
    files.set("pstree.img", files.get("pstree.img")!.slice(0, 10));
    const err = (await openCheckpoint(sourceFromFiles(files, "bb")).catch((e: unknown) => e)) as CheckpointError;
    expect(err.kind).toBe("bad-image");
    expect(err.message).toMatch(/pstree\.img cannot be read: .*pstree\.img/);
  });
});
