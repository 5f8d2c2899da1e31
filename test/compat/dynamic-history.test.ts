import { toJsonString, type DescMessage } from "@bufbuild/protobuf";
import { DescriptorProtoSchema, EnumDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { releaseMatrix } from "../../src/compat/matrix";
import { releaseDescriptorSet } from "../../src/compat/inputs";
import type { Finding } from "../../src/compat/rule";
import { worse, type Effect } from "../../src/compat/verdict";
import { enumValueOf, messageArb, observe, rank, revision, targets, type EnumBias, type Revision, type Target } from "./dynamic-proof";

// The dynamic proof on the real CRIU history: for every consecutive pair of shipped releases,
// every finding is confirmed or refuted by messages generated from the descriptor sets, written
// under one revision and read under the other with protobuf-es (see dynamic-proof.ts).
// - never worse: on the finding's fields, what protobuf-es does is no worse than claimed (by
//   this finding and any other finding on the same fields);
// - shows up: a claimed effect other than none happens on some generated message.
// A type-level finding (message or enum added, removed, renamed) is checked on the registries.

const RUNS = 12;
const SEED = 4242;

type Direction = "backward" | "forward";

interface Verdict {
  pair: string;
  finding: string;
  direction: Direction | "type";
  outcome: "confirmed" | "refuted";
  detail?: string;
}

function claimOf(f: Finding, d: Direction): Effect {
  return f.verdicts[d]["protobuf-es"];
}

/** The worst protobuf-es claim of every finding that targets any of these fields. */
function allowed(all: { f: Finding; t: Target[] | "type" }[], message: string, numbers: number[], d: Direction): Effect {
  let e: Effect = "none";
  for (const { f, t } of all) {
    if (t === "type") continue;
    if (t.some((x) => x.message === message && x.numbers.some((n) => numbers.includes(n)))) e = worse(e, claimOf(f, d));
  }
  return e;
}

function observed(writer: Revision, reader: Revision, target: Target, init: Record<string, unknown>): Effect {
  const w = writer.registry.getMessage(target.message)!;
  const r = reader.registry.getMessage(target.message)!;
  const obs = observe(w, r, init);
  if (obs.error) return "error";
  let e: Effect = "none";
  for (const n of target.numbers) e = worse(e, obs.effects.get(n) ?? "none");
  return e;
}

function provePair(oldRelease: string, newRelease: string, findings: Finding[]): Verdict[] {
  const old = revision(releaseDescriptorSet(oldRelease));
  const now = revision(releaseDescriptorSet(newRelease));
  const pair = `${oldRelease}→${newRelease}`;
  const all = findings.map((f) => ({ f, t: targets(f, old, now) }));
  const verdicts: Verdict[] = [];
  for (const { f, t } of all) {
    const finding = `${f.rule} ${f.path}`;
    if (t === "type") {
      const [inOld, inNew] = [old, now].map((r) => Boolean(r.registry.get(f.path)));
      const ok = /_ADDED$/.test(f.rule) ? !inOld && inNew : /_REMOVED$/.test(f.rule) ? inOld && !inNew : inNew;
      verdicts.push({ pair, finding, direction: "type", outcome: ok ? "confirmed" : "refuted", detail: ok ? undefined : `old ${inOld}, new ${inNew}` });
      continue;
    }
    for (const d of ["backward", "forward"] as const) {
      const [writer, reader] = d === "backward" ? [old, now] : [now, old];
      const claim = claimOf(f, d);
      const value = enumValueOf(f, writer);
      const bias: EnumBias = value ? new Map([[value.enumName, value.number]]) : new Map();
      let shown = claim === "none";
      const problems: string[] = [];
      for (const target of t) {
        const w = writer.registry.getMessage(target.message);
        if (!w || !reader.registry.getMessage(target.message)) continue;
        const arb = messageArb(w, bias);
        const limit = allowed(all, target.message, target.numbers, d);
        const never = fc.check(fc.property(arb, (m) => rank(observed(writer, reader, target, m)) <= rank(limit)), { seed: SEED, numRuns: RUNS });
        if (never.failed) problems.push(`${target.message}: worse than ${limit}: ${fc.defaultReportMessage(never)?.split("\n").slice(0, 3).join(" ")}`);
        if (!shown) {
          const show = fc.check(fc.property(arb, (m) => rank(observed(writer, reader, target, m)) < rank(claim)), { seed: SEED, numRuns: RUNS * 4 });
          shown = show.failed;
        }
      }
      if (!shown) problems.push(`claimed ${claim}, never shown in ${RUNS * 4} runs (seed ${SEED})`);
      verdicts.push({ pair, finding, direction: d, outcome: problems.length ? "refuted" : "confirmed", detail: problems.join("; ") || undefined });
    }
  }
  return verdicts;
}

/** Descriptor text of a message and every type it reaches: equal closures behave the same. */
function closure(desc: DescMessage, seen = new Set<string>()): string {
  if (seen.has(desc.typeName)) return "";
  seen.add(desc.typeName);
  let text = toJsonString(DescriptorProtoSchema, desc.proto);
  for (const f of desc.fields) {
    if (f.message) text += closure(f.message, seen);
    if (f.enum) text += toJsonString(EnumDescriptorProtoSchema, f.enum.proto);
  }
  return text;
}

/** Message types reachable from a field's type (itself included). */
function reachable(desc: DescMessage, out = new Set<string>()): Set<string> {
  if (out.has(desc.typeName)) return out;
  out.add(desc.typeName);
  for (const f of desc.fields) if (f.message) reachable(f.message, out);
  return out;
}

/**
 * Every message type of both revisions whose descriptors differ (in itself or in a type it
 * reaches), a few messages each way: a field no finding names shows no effect beyond what the
 * findings on its own type tree claim.
 */
function sweepPair(oldRelease: string, newRelease: string, findings: Finding[]): string[] {
  const old = revision(releaseDescriptorSet(oldRelease));
  const now = revision(releaseDescriptorSet(newRelease));
  const all = findings.map((f) => ({ f, t: targets(f, old, now) }));
  const problems: string[] = [];
  for (const t of old.registry) {
    if (t.kind !== "message") continue;
    const other = now.registry.getMessage(t.typeName);
    if (!other || closure(t) === closure(other)) continue;
    for (const d of ["backward", "forward"] as const) {
      const [w, r] = d === "backward" ? [t, other] : [other, t];
      const limits = new Map<number, Effect>();
      for (const n of new Set([...w.fields, ...r.fields].map((x) => x.number))) {
        let limit = allowed(all, t.typeName, [n], d);
        const [wf, rf] = [w, r].map((m) => m.fields.find((x) => x.number === n));
        for (const m of [wf?.message, rf?.message]) {
          if (!m) continue;
          const inner = reachable(m);
          for (const { f: g, t: gt } of all) if (gt !== "type" && gt.some((x) => inner.has(x.message))) limit = worse(limit, claimOf(g, d));
        }
        limits.set(n, limit);
      }
      const run = fc.check(
        fc.property(messageArb(w), (m) => {
          const obs = observe(w, r, m);
          // A failed read or re-encode no field explains: only when some finding claims an error.
          if (obs.error) return [...limits.values()].includes("error");
          return [...obs.effects].every(([n, e]) => rank(e) <= rank(limits.get(n) ?? "none"));
        }),
        { seed: SEED, numRuns: 3 },
      );
      if (run.failed) problems.push(`${oldRelease}→${newRelease} ${t.typeName} ${d}: ${fc.defaultReportMessage(run)?.split("\n").slice(0, 3).join(" ")}`);
    }
  }
  return problems;
}

describe("dynamic proof on the CRIU release history (protobuf-es reader)", () => {
  const matrix = releaseMatrix();
  const results: Verdict[] = [];

  for (const p of matrix) {
    if (p.findings.length === 0) continue;
    it(`${p.old} → ${p.new}: every finding confirmed`, () => {
      const verdicts = provePair(p.old, p.new, p.findings);
      results.push(...verdicts);
      expect(verdicts.filter((v) => v.outcome === "refuted")).toEqual([]);
      // Every finding got a verdict in both directions (or a type-level one).
      for (const f of p.findings) expect(verdicts.some((v) => v.finding === `${f.rule} ${f.path}`)).toBe(true);
    });
  }

  it("every changed message type, a few messages each way: nothing that no finding claims", () => {
    expect(matrix.flatMap((p) => sweepPair(p.old, p.new, p.findings))).toEqual([]);
  });

  it("covered every finding of the history", () => {
    const total = matrix.reduce((n, p) => n + p.findings.length, 0);
    const judged = new Set(results.map((v) => `${v.pair} ${v.finding}`));
    expect(judged.size).toBe(total);
  });
});
