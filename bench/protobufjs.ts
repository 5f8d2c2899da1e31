// protobufjs with the schema parsed at run time from our proto/ files (no static code).

import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type protobuf from "protobufjs";
import { repoRoot } from "./paths";

/** protobufjs's own copy of google/protobuf/descriptor.proto, which opts.proto imports. */
const googleDir = join(dirname(createRequire(import.meta.url).resolve("protobufjs/package.json")));

/** Loaded on first use, so that processes measuring other cases do not carry protobufjs. */
export async function loadProtobufjs(): Promise<protobuf.Root> {
  const { Root } = (await import("protobufjs")).default;
  const protoDir = join(repoRoot, "proto");
  const root = new Root();
  root.resolvePath = (_origin, target) => (target.startsWith("google/") ? join(googleDir, target) : join(protoDir, target));
  const files = readdirSync(protoDir).filter((f) => f.endsWith(".proto"));
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}
