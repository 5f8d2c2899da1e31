// Opens a checkpoint (dump directory or archive) of the fixtures for the diff tests.
import { afterAll } from "vitest";
import { openCheckpoint } from "../../../src/checkpoint/model/open";
import type { Checkpoint } from "../../../src/checkpoint/model/types";
import { openSource } from "../../../src/node/open-source";
import { corpusDir } from "../../support/corpus";
import { fixturePath } from "../../support/fixtures";

export const BUSYBOX = fixturePath("archives/podman-busybox.tar.zst");
export const FORENSICS = fixturePath("archives/podman-forensics.tar.zst");
export const FORENSICS_IMAGES = `${corpusDir}podman-forensics/images`;

const opened: { close(): Promise<void> }[] = [];
// The diff reads pages from the sources after opening: they stay open until the file's tests end.
afterAll(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

export async function open(path: string): Promise<Checkpoint> {
  const source = await openSource(path);
  opened.push(source);
  return openCheckpoint(source);
}
