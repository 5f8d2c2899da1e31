import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";

export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));

export function fixturePath(relative: string): string {
  return fixturesDir + relative;
}

export function readFixture(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(relative)));
}

/** A CRIU release's compiled schema, copied from ../shared/criu-schema. */
export function releaseSchema(release: string): FileDescriptorSet {
  return fromBinary(FileDescriptorSetSchema, readFixture(`schema/criu-${release}.binpb`));
}
