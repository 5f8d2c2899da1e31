// The two Podman checkpoints of the corpus as sources: the engine's files (test/fixtures/podman/
// NAME/engine) with the corpus images under checkpoint/, as in the exported archive.

import { fixturePath } from "./fixtures";
import { sourceFromDirs } from "./source-dir";
import type { CheckpointSource } from "../../src/source/source";

export function podmanSource(name: "forensics" | "busybox"): CheckpointSource {
  return sourceFromDirs(
    [
      [fixturePath(`podman/${name}/engine`), ""],
      [fixturePath(`corpus/podman-${name}/images`), "checkpoint/"],
    ],
    `podman-${name}`,
  );
}

/** checkpointctl's output on the archive (test/fixtures/podman/NAME/checkpointctl/FILE). */
export function checkpointctlPath(name: "forensics" | "busybox", file: string): string {
  return fixturePath(`podman/${name}/checkpointctl/${file}`);
}
