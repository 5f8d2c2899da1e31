// openCheckpoint: the model over any CheckpointSource (a dump directory, an engine's archive).

import { lsmtypeSchema } from "../../gen/inventory_pb";
import type { CheckpointSource } from "../../source/source";
import { archiveSizes, readEngineMetadata, readRootFsChanges, unknownMembers } from "../engine/metadata";
import { CheckpointError, errorText, type CheckpointWarning } from "./errors";
import { FileTable } from "./files";
import { ImageSet } from "./image-set";
import { mountNamespaces, netNamespaces } from "./namespaces";
import { readStats } from "./stats";
import { readTaskStrings } from "./task-memory";
import { buildTasks, hasResources, namespaceIds } from "./tasks";
import type { Checkpoint } from "./types";

export interface OpenCheckpointOptions {
  /**
   * The pre-dump chain behind the dump, nearest parent first (CRIU's `parent` link, which a
   * source cannot follow by itself; `@criu/images/node`'s `openParentSources` finds it for a
   * directory). Without it, parents carried inside the source under `parent/` are used.
   */
  parents?: readonly CheckpointSource[];
}

/**
 * Reads a checkpoint's images (each small image once, pages only where argv and environment
 * lie) and its engine's metadata into one model. Throws CheckpointError when the source holds
 * no CRIU images or lacks inventory.img / pstree.img, or when those cannot be decoded;
 * SourceError when the source itself fails. Anything else damaged is a warning in the model.
 */
export async function openCheckpoint(source: CheckpointSource, options: OpenCheckpointOptions = {}): Promise<Checkpoint> {
  const warnings: CheckpointWarning[] = [];
  const images = await ImageSet.open(source, warnings);
  const inventory = images.first("inventory.img", "INVENTORY");
  const pstree = images.entries("pstree.img", "PSTREE");
  if (!inventory || !pstree) {
    const bad = !inventory ? "inventory.img" : "pstree.img";
    const why = warnings.find((w) => w.member === images.dir + bad)?.message ?? "the image has no entry";
    throw new CheckpointError("bad-image", source.label, `${images.dir}${bad} cannot be read: ${why}`, [images.dir + bad]);
  }
  const files = new FileTable(images);
  const { tasks, roots } = buildTasks(images, files, warnings);
  const strings = await readTaskStrings(images, tasks.filter(hasResources).map((t) => t.pid), warnings, options.parents);
  for (const t of tasks) {
    const s = strings.get(t.pid);
    if (s) {
      t.argv = s.argv;
      t.environ = s.environ;
    }
  }
  const { members } = images;
  const [engine, stats, rootFs] = await Promise.all([
    readEngineMetadata(source, members, warnings).catch((err: unknown) => {
      warnings.push({ member: "", message: `engine metadata: ${errorText(err)}` });
      return undefined;
    }),
    readStats(source, members, images.dir, warnings),
    readRootFsChanges(source, members, warnings),
  ]);
  return {
    source,
    imagesDir: images.dir,
    members,
    inventory: {
      imageVersion: inventory.imgVersion,
      lsm: lsmtypeSchema.value[inventory.lsmtype]?.name ?? String(inventory.lsmtype),
      dumpRunId: inventory.dumpCriuRunId,
      rootIds: inventory.rootIds && namespaceIds(inventory.rootIds),
    },
    tasks,
    roots,
    mountNamespaces: mountNamespaces(images),
    netNamespaces: netNamespaces(images, warnings),
    stats,
    engine,
    sizes: archiveSizes(members, images.dir),
    rootFs,
    unknownFiles: unknownMembers(members, images.dir),
    warnings,
  };
}
