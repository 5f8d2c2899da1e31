#!/usr/bin/env node
// buf-plugin-criu: the criu-compat rules as a Buf check plugin. buf runs it once per call:
//   buf-plugin-criu --protocol                      → "1"
//   buf-plugin-criu --spec --format binary          → pluginrpc.v1.Spec
//   buf-plugin-criu /buf.plugin.check.v1.CheckService/<Method> --format binary
//                                                   stdin pluginrpc.v1.Request → stdout Response
// Wire it up in buf.yaml: `plugins: [{plugin: buf-plugin-criu}]` and `breaking: {use: [..., CRIU_WIRE]}`.
// buf starts it nine times per run and only Check needs the rules: the other calls are answered
// from the catalog (metadata.ts) and the engine is imported for Check alone.
import { readFileSync } from "node:fs";
import { answerMetadata, specBytes } from "../compat/plugin/metadata";

async function main(args: string[]): Promise<number> {
  const format = args.indexOf("--format");
  if (format >= 0 && args[format + 1] !== "binary") {
    process.stderr.write(`buf-plugin-criu: only --format binary is supported\n`);
    return 1;
  }
  if (args.includes("--protocol")) {
    process.stdout.write("1\n");
    return 0;
  }
  if (args.includes("--spec")) {
    process.stdout.write(specBytes());
    return 0;
  }
  const path = args.find((a) => a.startsWith("/"));
  if (!path) {
    process.stderr.write("usage: buf-plugin-criu --protocol | --spec --format binary | /buf.plugin.check.v1.CheckService/METHOD --format binary\n(run by buf, through plugins: in buf.yaml)\n");
    return 1;
  }
  const request = readFileSync(0);
  const answer = answerMetadata(path, request);
  if (answer) {
    process.stdout.write(answer);
    return 0;
  }
  const { serve } = await import("../compat/plugin/index");
  process.stdout.write(serve(path, request));
  return 0;
}

void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
