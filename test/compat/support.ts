import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { buildDirectory } from "../../src/compat/inputs";
import { compareSchemas } from "../../src/compat/compare";
import { schemaModel, type SchemaModel } from "../../src/compat/model";
import type { Finding } from "../../src/compat/rule";
import { repoRoot } from "../support/buf";

const OPTS_PROTO = readFileSync(join(repoRoot, "proto", "opts.proto"), "utf8");
const cache = new Map<string, FileDescriptorSet>();

/**
 * Compiles one proto2 file (`body` after the syntax line; `import "opts.proto";` brings in the
 * (criu) options) with the bundled buf, in a temporary directory. Memoised by text.
 */
export function compileSet(body: string): FileDescriptorSet {
  const known = cache.get(body);
  if (known) return known;
  const dir = mkdtempSync(join(tmpdir(), "criu-compat-test-"));
  try {
    // A body that starts with its own syntax line (proto3) keeps it; proto2 otherwise.
    const text = body.startsWith("syntax") ? body : `syntax = "proto2";\n${body}`;
    const files: Record<string, string> = { "test.proto": `${text}\n`, "opts.proto": OPTS_PROTO };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const set = buildDirectory(dir);
    cache.set(body, set);
    return set;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function compile(body: string): SchemaModel {
  return schemaModel(compileSet(body));
}

/** Findings old → new between two inline schemas. */
export function diff(oldBody: string, newBody: string): Finding[] {
  return compareSchemas(compile(oldBody), compile(newBody));
}
