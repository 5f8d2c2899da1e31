import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const bufBin = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));

/** Runs the bundled buf in the repository root and returns its stdout as bytes. */
export function runBuf(args: string[], cwd = repoRoot): Buffer {
  return execFileSync(bufBin, args, { cwd, maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "pipe"] });
}

/** Compiles a directory of .proto files (relative to `cwd`) to a FileDescriptorSet. */
export function buildDescriptorSet(input = "proto", cwd = repoRoot): FileDescriptorSet {
  return fromBinary(FileDescriptorSetSchema, runBuf(["build", input, "-o", "-#format=binpb"], cwd));
}
