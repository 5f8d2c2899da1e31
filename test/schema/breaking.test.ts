import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clone, toBinary } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Type, FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { afterAll, describe, expect, it } from "vitest";
import { buildDescriptorSet, runBuf } from "../support/buf";
import { fixturePath, releaseSchema } from "../support/fixtures";

const WIRE_JSON = JSON.stringify({ version: "v2", breaking: { use: ["WIRE_JSON"] } });
const DESCRIPTOR_PROTO = "google/protobuf/descriptor.proto";

/**
 * Our schema as an image whose copy of descriptor.proto is the fixture's (protoc 3.21's), so
 * that the comparison covers CRIU's 76 files and not the two copies of descriptor.proto.
 */
function oursWithReleaseDescriptorProto(release: FileDescriptorSet): FileDescriptorSet {
  const ours = buildDescriptorSet("proto");
  const theirs = release.file.find((f) => f.name === DESCRIPTOR_PROTO)!;
  ours.file = ours.file.map((f) => (f.name === DESCRIPTOR_PROTO ? theirs : f));
  return ours;
}

/**
 * Every line `buf breaking` prints for `input` against `against`. Images get WIRE_JSON by
 * --config; the proto/ module has it in buf.yaml.
 */
function breaking(input: string, against: string): string[] {
  const config = input === "proto" ? [] : ["--config", WIRE_JSON];
  try {
    runBuf(["breaking", input, "--against", against, ...config]);
    return [];
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    const text = `${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? ""}`;
    return text.split("\n").filter((l) => l.trim() !== "" && !l.includes("nodedir"));
  }
}

describe("buf breaking (WIRE_JSON) between proto/ and criu-v4.2.binpb", () => {
  const work = mkdtempSync(join(tmpdir(), "criu-breaking-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const release = releaseSchema("v4.2");
  const releaseImage = fixturePath("schema/criu-v4.2.binpb");
  const ours = oursWithReleaseDescriptorProto(release);
  const oursImage = join(work, "ours.binpb");
  writeFileSync(oursImage, toBinary(FileDescriptorSetSchema, ours));

  it("finds nothing with proto/ as the new schema", () => {
    expect(breaking("proto", releaseImage)).toEqual([]);
  });

  it("finds nothing in either direction between the two images", () => {
    expect(breaking(oursImage, releaseImage)).toEqual([]);
    expect(breaking(releaseImage, oursImage)).toEqual([]);
  });

  it("does report a changed field type, so the check can fail", () => {
    const changed = clone(FileDescriptorSetSchema, ours);
    const pagemap = changed.file.find((f) => f.name === "pagemap.proto")!;
    const nrPages = pagemap.messageType[1]!.field.find((f) => f.name === "nr_pages")!;
    nrPages.type = FieldDescriptorProto_Type.UINT32;
    const changedImage = join(work, "changed.binpb");
    writeFileSync(changedImage, toBinary(FileDescriptorSetSchema, changed));
    const findings = breaking(changedImage, releaseImage);
    expect(findings.join("\n")).toMatch(/nr_pages.*changed type from "uint64" to "uint32"/);
    expect(breaking(releaseImage, changedImage).join("\n")).toMatch(/nr_pages/);
  });
});
