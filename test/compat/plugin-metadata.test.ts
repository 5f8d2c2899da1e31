import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { build } from "esbuild";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ListCategoriesRequestSchema, ListRulesRequestSchema } from "../../src/compat/plugin/gen/buf/plugin/check/v1/check_pb";
import { RequestSchema } from "../../src/compat/plugin/gen/pluginrpc/v1/pluginrpc_pb";
import { PLUGIN_CATEGORY_CATALOG, PLUGIN_RULE_CATALOG } from "../../src/compat/plugin/catalog";
import { catalogSource } from "../../src/compat/plugin/catalog-source";
import { pluginCatalog, serve, spec } from "../../src/compat/plugin/index";
import { answerMetadata, CHECK, LIST_CATEGORIES, LIST_RULES, specBytes } from "../../src/compat/plugin/metadata";
import { repoRoot } from "../support/buf";

// buf-plugin-criu answers --spec, ListRules and ListCategories from a copy of the rules' catalog
// without loading the engine: the copy must be the rules' own, and every answer byte for byte the
// engine path's (serve).

const LISTS = [LIST_RULES, LIST_CATEGORIES] as const;

/** The requests buf sends (a page size of 250), and the empty one. */
function bufRequests(path: string): Uint8Array[] {
  const schema = path === LIST_RULES ? ListRulesRequestSchema : ListCategoriesRequestSchema;
  return [
    toBinary(RequestSchema, create(RequestSchema, { value: anyPack(schema, create(schema, { pageSize: 250 })) })),
    toBinary(RequestSchema, create(RequestSchema, { value: anyPack(schema, create(schema)) })),
    new Uint8Array(),
  ];
}

describe("buf-plugin-criu metadata without the engine", () => {
  it("has a catalog that is the rules' own (else: npm run generate)", () => {
    expect(readFileSync(join(repoRoot, "src", "compat", "plugin", "catalog.ts"), "utf8")).toBe(catalogSource());
    expect({ rules: PLUGIN_RULE_CATALOG, categories: PLUGIN_CATEGORY_CATALOG }).toEqual(pluginCatalog());
  });

  it("answers --spec, ListRules and ListCategories with the engine path's bytes", () => {
    expect(Buffer.from(specBytes())).toEqual(Buffer.from(spec()));
    for (const path of LISTS) {
      for (const request of bufRequests(path)) {
        const answer = answerMetadata(path, request);
        expect(answer, path).toBeDefined();
        expect(Buffer.from(answer!)).toEqual(Buffer.from(serve(path, request)));
      }
    }
  });

  it("leaves Check, unknown procedures and other requests to the engine", () => {
    expect(answerMetadata(CHECK, new Uint8Array())).toBeUndefined();
    expect(answerMetadata("/buf.plugin.check.v1.CheckService/Nope", new Uint8Array())).toBeUndefined();
    // A ListCategories request sent to ListRules: the engine words the error.
    expect(answerMetadata(LIST_RULES, bufRequests(LIST_CATEGORIES)[0]!)).toBeUndefined();
    expect(answerMetadata(LIST_RULES, Uint8Array.of(0x0a, 0x05, 0x0a))).toBeUndefined();
  });

  it("answers only as the engine would, for any request bytes", () => {
    // Requests near the real ones: an Any with some type URL and value fields, or random bytes.
    const typeUrl = fc.constantFrom(
      "type.googleapis.com/buf.plugin.check.v1.ListRulesRequest",
      "type.googleapis.com/buf.plugin.check.v1.ListCategoriesRequest",
      "buf.plugin.check.v1.ListRulesRequest",
      "",
    );
    const field = fc.oneof(
      fc.record({ no: fc.integer({ min: 1, max: 3 }), varint: fc.nat() }),
      fc.record({ no: fc.integer({ min: 1, max: 3 }), bytes: fc.uint8Array({ maxLength: 6 }) }),
    );
    const encode = (fields: { no: number; varint?: number; bytes?: Uint8Array }[]): Uint8Array => {
      const out: number[] = [];
      const varint = (n: number) => {
        for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
        out.push(n);
      };
      for (const f of fields) {
        if (f.bytes) {
          varint((f.no << 3) | 2);
          varint(f.bytes.length);
          out.push(...f.bytes);
        } else {
          varint(f.no << 3);
          varint(f.varint!);
        }
      }
      return Uint8Array.from(out);
    };
    const structured = fc.tuple(typeUrl, fc.array(field, { maxLength: 3 }), fc.array(field, { maxLength: 2 })).map(([url, value, extra]) => {
      const any = encode([{ no: 1, bytes: new TextEncoder().encode(url) }, { no: 2, bytes: encode(value) }, ...extra]);
      return encode([{ no: 1, bytes: any }]);
    });
    const request = fc.oneof(structured, fc.uint8Array({ maxLength: 40 }));
    let answered = 0;
    fc.assert(
      fc.property(fc.constantFrom(...LISTS), request, (path, bytes) => {
        const answer = answerMetadata(path, bytes);
        if (answer) {
          answered++;
          expect(Buffer.from(answer)).toEqual(Buffer.from(serve(path, bytes)));
        }
      }),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(0); // the property compared some answers, not only refusals
  });

  it("loads no rule, model or comparison code before Check (the engine is a dynamic import)", async () => {
    const result = await build({
      entryPoints: [join(repoRoot, "src", "cli", "buf-plugin-criu.ts")],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      outdir: "/nonexistent",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((o) => outputs[o]!.entryPoint)!;
    const loaded = new Set<string>();
    const visit = (o: string) => {
      if (loaded.has(o)) return;
      loaded.add(o);
      for (const i of outputs[o]!.imports) if (i.kind === "import-statement" && !i.external) visit(i.path);
    };
    visit(entry);
    const inputs = [...loaded].flatMap((o) => Object.keys(outputs[o]!.inputs)).map((i) => relative(repoRoot, i));
    expect(inputs).toContain("src/compat/plugin/catalog.ts");
    expect(inputs.filter((i) => i.startsWith("src/") && !/^src\/(cli\/buf-plugin-criu|compat\/plugin\/(metadata|catalog))\.ts$/.test(i))).toEqual([]);
    expect(inputs.filter((i) => i.includes("@bufbuild/protobuf") && !i.includes("/wire/") && !i.endsWith("proto-int64.js"))).toEqual([]);
  });

  it("answers the metadata calls the same when built (dist/buf-plugin-criu.js)", () => {
    const plugin = join(repoRoot, "dist", "buf-plugin-criu.js");
    const call = (args: string[], input: Uint8Array = new Uint8Array()) => spawnSync(plugin, [...args, "--format", "binary"], { input });
    expect(spawnSync(plugin, ["--protocol"], { encoding: "utf8" }).stdout).toBe("1\n");
    expect(call(["--spec"]).stdout).toEqual(Buffer.from(spec()));
    for (const path of LISTS) {
      const request = bufRequests(path)[0]!;
      expect(call([path], request).stdout).toEqual(Buffer.from(serve(path, request)));
    }
    const unknown = "/buf.plugin.check.v1.CheckService/Nope";
    expect(call([unknown]).stdout).toEqual(Buffer.from(serve(unknown, new Uint8Array())));
  });
});
