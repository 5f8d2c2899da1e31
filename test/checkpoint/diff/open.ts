// Opens a checkpoint (dump directory or archive) of the fixtures for the diff tests.
import { openCheckpoint } from "../../../src/checkpoint/model/open";
import type { Checkpoint } from "../../../src/checkpoint/model/types";
import { openSource } from "../../../src/node/open-source";
import { corpusDir } from "../../support/corpus";
import { fixturePath } from "../../support/fixtures";

export const BUSYBOX = fixturePath("archives/podman-busybox.tar.zst");
export const FORENSICS = fixturePath("archives/podman-forensics.tar.zst");
export const FORENSICS_IMAGES = `${corpusDir}podman-forensics/images`;

export async function open(path: string): Promise<Checkpoint> {
  return openCheckpoint(await openSource(path));
}
