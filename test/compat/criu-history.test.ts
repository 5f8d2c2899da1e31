import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { releaseMatrix, releaseMatrixMarkdown } from "../../src/compat/matrix";
import { shippedReleases } from "../../src/compat/inputs";
import type { Finding } from "../../src/compat/rule";
import { repoRoot } from "../support/buf";
import { fixturePath } from "../support/fixtures";

// The real CRIU history: every change that proto-evolution.json lists between shipped releases
// (v2.7..v4.2) is classified by a finding, and the known breaks are reported.

interface Change {
  kind: string;
  rev: string;
  message?: string;
  enum?: string;
  name?: string;
  new?: string;
  old?: string;
  value?: string;
  label?: string;
}

const evolution = JSON.parse(readFileSync(fixturePath("compat/proto-evolution.json"), "utf8")) as { releases: string[]; changes: Change[] };
const shipped = shippedReleases();
const matrix = releaseMatrix();
const byPair = new Map(matrix.map((p) => [`${p.old}→${p.new}`, p.findings]));

function findings(old: string, now: string): Finding[] {
  const f = byPair.get(`${old}→${now}`);
  if (!f) throw new Error(`no pair ${old} → ${now}`);
  return f;
}

/** The rule(s) and element path a listed change must be classified by. */
function expected(c: Change): { rules: string[]; path: string } {
  switch (c.kind) {
    case "message_added": return { rules: ["MESSAGE_ADDED"], path: c.message! };
    case "enum_added": return { rules: ["ENUM_ADDED"], path: c.enum! };
    case "field_added": return { rules: [c.label === "required" ? "FIELD_REQUIRED_ADDED" : "FIELD_ADDED"], path: `${c.message}.${c.name}` };
    case "field_name_changed": return { rules: ["FIELD_RENAMED"], path: `${c.message}.${c.new}` };
    case "enum_value_added": return { rules: ["ENUM_VALUE_ADDED", "ENUM_VALUE_ADDED_REQUIRED"], path: `${c.enum}.${c.value}` };
    case "field_opts_changed": {
      const rule = /default/.test(`${c.old} ${c.new}`) ? "FIELD_DEFAULT_CHANGED" : "FIELD_CRIU_OPTION_CHANGED";
      return { rules: [rule], path: `${c.message}.${c.name}` };
    }
    default: throw new Error(`unclassified change kind ${c.kind}`);
  }
}

const inRange = evolution.changes.filter((c) => shipped.includes(c.rev) && c.rev !== shipped[0]);

describe("CRIU release history v2.7..v4.2", () => {
  it("ships every release from v2.7 to v4.2, in the evolution's order", () => {
    const releases = evolution.releases.slice(evolution.releases.indexOf("v2.7"), evolution.releases.indexOf("v4.2") + 1);
    expect(shipped).toEqual(releases);
    expect(inRange.length).toBeGreaterThan(200);
  });

  it("classifies every listed change", () => {
    const unclassified: string[] = [];
    for (const c of inRange) {
      const prev = shipped[shipped.indexOf(c.rev) - 1]!;
      const { rules, path } = expected(c);
      if (!findings(prev, c.rev).some((f) => rules.includes(f.rule) && f.path === path)) unclassified.push(`${prev}→${c.rev} ${c.kind} ${path}`);
    }
    expect(unclassified).toEqual([]);
  });

  it("reports nothing that is not a listed change", () => {
    const listed = new Set(inRange.map((c) => `${c.rev} ${expected(c).path}`));
    const extra = matrix.flatMap((p) => p.findings.filter((f) => !listed.has(`${p.new} ${f.path}`)).map((f) => `${p.new} ${f.rule} ${f.path}`));
    // pagemap's new nr_pages (field 5) is listed once as field_added; its name reuse is a second finding at the same path.
    expect(extra).toEqual([]);
  });

  it("does not call purely additive optional fields breaking", () => {
    for (const c of inRange.filter((x) => x.kind === "field_added" && x.label !== "required")) {
      const prev = shipped[shipped.indexOf(c.rev) - 1]!;
      const at = findings(prev, c.rev).filter((f) => f.path === `${c.message}.${c.name}`);
      expect(at.filter((f) => f.severity === "breaking"), `${c.rev} ${c.message}.${c.name}`).toEqual([]);
    }
  });

  const has = (old: string, now: string, rule: string, path: string, severity: Finding["severity"]) => {
    const f = findings(old, now).find((x) => x.rule === rule && x.path === path);
    expect(f, `${old}→${now} ${rule} ${path}`).toBeDefined();
    expect(f!.severity).toBe(severity);
    return f!;
  };

  it("reports the known breaks", () => {
    has("v3.16.1", "v3.17", "FIELD_RENAMED", "user_desc_t.usable", "json");
    has("v3.9", "v3.10", "FIELD_RENAMED", "task_core_entry.old_seccomp_mode", "json");
    has("v3.9", "v3.10", "FIELD_RENAMED", "task_core_entry.old_seccomp_filter", "json");
    has("v4.1.1", "v4.2", "FIELD_RENAMED", "pagemap_entry.compat_nr_pages", "json");
    const reuse = has("v4.1.1", "v4.2", "FIELD_NAME_REUSED", "pagemap_entry.nr_pages", "json");
    expect(reuse.message).toMatch(/field 5.*required field 2/);
    const lazy = has("v3.4", "v3.5", "FIELD_REQUIRED_ADDED", "dump_stats_entry.pages_lazy", "breaking");
    expect(lazy.verdicts.backward["protobuf-c"]).toBe("error");
    for (const [old, now, value] of [["v3.3", "v3.4", "S390"], ["v3.14", "v3.15", "MIPS"], ["v3.18", "v3.19", "LOONGARCH64"], ["v4.0", "v4.1", "RISCV64"]] as const) {
      const f = has(old, now, "ENUM_VALUE_ADDED_REQUIRED", `core_entry.march.${value}`, "breaking");
      expect(f.verdicts.forward).toEqual({ "protobuf-c": "none", upb: "error", "protobuf-es": "error" });
    }
    for (const [old, now, value] of [["v3.7", "v3.8", "AUTOFS_PIPE"], ["v3.13", "v3.14", "MEMFD"], ["v3.14", "v3.15", "BPFMAP"], ["v4.0", "v4.1", "PIDFD"]] as const) {
      has(old, now, "ENUM_VALUE_ADDED_REQUIRED", `fd_types.${value}`, "breaking");
    }
    const dirFd = has("v3.18", "v3.19", "FIELD_DEFAULT_CHANGED", "criu_opts.images_dir_fd", "breaking");
    expect(dirFd.message).toMatch(/0 to -1/);
  });

  it("docs/criu-schema-history.md is the generated matrix", () => {
    expect(readFileSync(`${repoRoot}docs/criu-schema-history.md`, "utf8")).toBe(releaseMatrixMarkdown());
  });
});
