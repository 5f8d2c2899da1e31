// Damaged or huge process trees (issue #16): deep chains, cycles, many tasks.

import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ExploreError } from "../../src/checkpoint/dump-source";
import { explorePs, PS_MAX_INDENT } from "../../src/checkpoint/explore";
import { decodeImage, encodeImage, pstree_entrySchema, type AnyImage } from "../../src/index";
import { readFixture } from "../support/fixtures";

const core = readFixture("corpus/proc-minimal/images/core-26637.img");

/** A dump of `n` tasks whose parent is given by `parent(i)` (pids are 1..n); every task has proc-minimal's core. */
function dump(pstree: Uint8Array) {
  return { read: (name: string) => (name === "pstree.img" ? pstree : name.startsWith("core-") ? core : undefined) };
}

function pstree(n: number, parent: (pid: number) => number): Uint8Array {
  const entries = Array.from({ length: n }, (_, i) => create(pstree_entrySchema, { pid: i + 1, ppid: parent(i + 1), pgid: 1, sid: 1 }));
  return encodeImage({ magic: "PSTREE", entries } as AnyImage);
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe("explorePs on damaged and huge trees", () => {
  it("an 8,000-deep chain: no stack overflow; indentation stops growing (linear output)", () => {
    const out = explorePs(dump(pstree(8000, (pid) => pid - 1)));
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(8001);
    expect(lines[1]).toMatch(/^ {6}1 {6}1 {6}1 {3}proc-minimal$/);
    const indent = " ".repeat(4 * PS_MAX_INDENT);
    expect(lines[PS_MAX_INDENT + 1]).toBe(`${lines[PS_MAX_INDENT + 1]!.slice(0, 24)}${indent}proc-minimal`);
    expect(lines[8000]).toBe(`${lines[8000]!.slice(0, 24)}${indent}[7999] proc-minimal`);
    expect(out.length).toBeLessThan(8001 * (40 + 4 * PS_MAX_INDENT + 8));
  }, 120_000);

  it("X1 (the campaign's 5,000-task chain): every task, output linear in the tasks", () => {
    const chain = readFixture("fuzz-findings/X1-pstree-chain-5000.pstree.img");
    const tasks = decodeImage(chain, { expect: "PSTREE" }).entries.length;
    const out = explorePs(dump(chain));
    expect(out.trimEnd().split("\n")).toHaveLength(tasks + 1);
    expect(out.length).toBeLessThan((tasks + 1) * (40 + 4 * PS_MAX_INDENT + 8));
  }, 120_000);

  it("tasks whose parents form a cycle: ExploreError bad-dump naming them, after the tree of the others", () => {
    // 1 is the root; 2 → 3 → 4 → 2 is a cycle.
    const err = caught(() => explorePs(dump(pstree(4, (pid) => (pid === 1 ? 0 : pid === 2 ? 4 : pid - 1)))));
    expect(err).toBeInstanceOf(ExploreError);
    expect((err as ExploreError).kind).toBe("bad-dump");
    expect((err as ExploreError).message).toBe("pstree.img: tasks 2, 3, 4 have no root: their parents form a cycle");
    expect((err as ExploreError).output.trimEnd().split("\n")).toHaveLength(2); // the header and task 1
  });

  it("a cycle through every task (no root at all) is reported too, not an empty tree", () => {
    const err = caught(() => explorePs(dump(pstree(50, (pid) => (pid === 1 ? 50 : pid - 1)))));
    expect(err).toBeInstanceOf(ExploreError);
    expect((err as ExploreError).message).toContain("(50 tasks) have no root");
  });

  it("20,000 tasks in one flat tree: every one listed, in pstree order", () => {
    const out = explorePs(dump(pstree(20_000, (pid) => (pid === 1 ? 0 : 1))));
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(20_001);
    expect(lines[20_000]).toMatch(/^ {2}20000 {6}1 {6}1 {7}proc-minimal$/);
  }, 300_000);
});
