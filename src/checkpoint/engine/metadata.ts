// What a container engine wrote beside the CRIU images: Podman and CRI-O (config.dump,
// spec.dump, network.status, stats-dump, rootfs-diff.tar, deleted.files, devshm-checkpoint.tar,
// volumes/), containerd. The engine is named by the spec's `io.container.manager` annotation as
// checkpointctl does ("libpod" Podman, "cri-o" CRI-O, anything else containerd). Every file is
// optional; one that cannot be read is a warning.

import type { CheckpointSource, MemberInfo } from "../../source/source";
import { errorText, type CheckpointWarning } from "../model/errors";
import { readWhole } from "../model/image-set";
import { parseNetworkStatus, type NetworkInfo } from "./network-status";
import { parseSpec, type OciSpec } from "./oci-spec";
import { listNestedTar } from "../../source/nested-tar";

export type EngineName = "Podman" | "CRI-O" | "containerd";

export interface EngineMetadata {
  engine: EngineName;
  /** The `io.container.manager` annotation as written ("libpod", "cri-o"...). */
  manager: string | undefined;
  containerName: string;
  /** The image the container ran (config.dump rootfsImageName). */
  image: string;
  id: string;
  runtime: string;
  /** Creation time as checkpointctl shows it (RFC 3339, whole seconds). */
  created: string;
  /** config.dump checkpointedTime, RFC 3339 whole seconds, when set. */
  checkpointed: string | undefined;
  /** The container's IP and MAC (CRI-O's annotation, or Podman's first interface). */
  ip: string | undefined;
  mac: string | undefined;
  networks: NetworkInfo[];
  podName: string | undefined;
  namespace: string | undefined;
  /** spec.dump, when present. */
  spec: OciSpec | undefined;
  /** config.dump as written (JSON). */
  config: Record<string, unknown> | undefined;
}

export interface ArchiveSizes {
  /** Bytes of every file in the images folder (checkpointctl's "Checkpoint size"). */
  checkpoint: number;
  /** Bytes of pages-*.img. */
  memoryPages: number;
  /** Bytes of rootfs-diff.tar (0 when there is none). */
  rootFsDiff: number;
}

export interface RootFsChanges {
  /** Files in rootfs-diff.tar: what the container added or changed. */
  added: string[];
  /** deleted.files: what the container deleted from its image's files. */
  deleted: string[];
}

/** Engine files known by name, at the archive's root. */
export const ENGINE_FILES = [
  "config.dump",
  "spec.dump",
  "network.status",
  "stats-dump",
  "stats-restore",
  "rootfs-diff.tar",
  "deleted.files",
  "devshm-checkpoint.tar",
  "ctr.log",
  "dump.log",
  "restore.log",
  "bind.mounts",
  "pod.options",
  "pod.dump",
] as const;
const ENGINE_DIRS = ["checkpoint/", "volumes/", "artifacts/", "checkpoint-parent/"];

/** Members outside the images folder that no engine is known to write. */
export function unknownMembers(members: readonly MemberInfo[], imagesDir: string): string[] {
  if (imagesDir === "") return [];
  const known = new Set<string>(ENGINE_FILES);
  return members
    .filter((m) => m.type === "file" && !known.has(m.name) && !ENGINE_DIRS.some((d) => m.name.startsWith(d)))
    .map((m) => m.name)
    .sort();
}

export async function readEngineMetadata(
  source: CheckpointSource,
  members: readonly MemberInfo[],
  warnings: CheckpointWarning[],
): Promise<EngineMetadata | undefined> {
  const present = new Set(members.filter((m) => m.type === "file").map((m) => m.name));
  const wanted = ["config.dump", "spec.dump", "network.status"].filter((n) => present.has(n));
  if (wanted.length === 0) return undefined;
  const files = await readWhole(source, wanted);
  const json = (name: string): Record<string, unknown> | undefined => {
    const bytes = files.get(name);
    if (!bytes) return undefined;
    try {
      const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
      if (value === null) return undefined; // network.status is `null` without a network
      if (typeof value !== "object" || Array.isArray(value)) throw new Error("expected a JSON object");
      return value as Record<string, unknown>;
    } catch (err) {
      warnings.push({ member: name, message: `not the JSON an engine writes: ${errorText(err)}` });
      return undefined;
    }
  };
  const config = json("config.dump");
  const specJson = json("spec.dump");
  const spec = specJson && parseSpec(specJson);
  const annotations = spec?.annotations ?? {};
  const manager = annotations["io.container.manager"];
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const networks = parseNetworkStatus(json("network.status"), (message) => warnings.push({ member: "network.status", message }));
  const first = networks[0]?.interfaces[0];
  const base = {
    manager,
    image: str(config?.rootfsImageName),
    id: str(config?.id),
    runtime: str(config?.runtime),
    checkpointed: config?.checkpointedTime ? rfc3339Seconds(str(config.checkpointedTime)) : undefined,
    networks,
    spec,
    config,
    ip: first?.ip?.replace(/\/\d+$/, ""),
    mac: first?.mac,
    podName: undefined as string | undefined,
    namespace: undefined as string | undefined,
  };
  if (manager === "libpod") {
    return { ...base, engine: "Podman", containerName: str(config?.name), created: rfc3339Seconds(str(config?.createdTime)) };
  }
  if (manager === "cri-o") {
    let name = "";
    try {
      name = str((JSON.parse(annotations["io.kubernetes.cri-o.Metadata"] ?? "{}") as { name?: unknown }).name);
    } catch (err) {
      warnings.push({ member: "spec.dump", message: `annotation io.kubernetes.cri-o.Metadata: ${errorText(err)}` });
    }
    return {
      ...base,
      engine: "CRI-O",
      containerName: name,
      created: annotations["io.kubernetes.cri-o.Created"] ?? "",
      ip: annotations["io.kubernetes.cri-o.IP.0"] ?? base.ip,
      podName: annotations["io.kubernetes.pod.name"],
      namespace: annotations["io.kubernetes.pod.namespace"],
    };
  }
  return {
    ...base,
    engine: "containerd",
    containerName: annotations["io.kubernetes.cri.container-name"] ?? str(config?.name),
    created: rfc3339Seconds(str(config?.createdTime)),
    podName: annotations["io.kubernetes.cri.sandbox-name"],
    namespace: annotations["io.kubernetes.cri.sandbox-namespace"],
  };
}

export function archiveSizes(members: readonly MemberInfo[], imagesDir: string): ArchiveSizes {
  let checkpoint = 0;
  let memoryPages = 0;
  let rootFsDiff = 0;
  for (const m of members) {
    if (m.type !== "file") continue;
    if (m.name === "rootfs-diff.tar") rootFsDiff = m.size;
    if (!m.name.startsWith(imagesDir) || (imagesDir === "" && m.name.includes("/"))) continue;
    if (imagesDir === "" && (ENGINE_FILES as readonly string[]).includes(m.name)) continue;
    checkpoint += m.size;
    if (m.name.slice(imagesDir.length).startsWith("pages-")) memoryPages += m.size;
  }
  return { checkpoint, memoryPages, rootFsDiff };
}

export async function readRootFsChanges(
  source: CheckpointSource,
  members: readonly MemberInfo[],
  warnings: CheckpointWarning[],
): Promise<RootFsChanges | undefined> {
  const diff = members.find((m) => m.name === "rootfs-diff.tar" && m.type === "file");
  const deletedMember = members.find((m) => m.name === "deleted.files" && m.type === "file");
  if (!diff && !deletedMember) return undefined;
  const changes: RootFsChanges = { added: [], deleted: [] };
  if (diff) {
    try {
      changes.added = (await listNestedTar(source, diff)).filter((e) => e.type !== "directory").map((e) => e.name);
    } catch (err) {
      warnings.push({ member: diff.name, message: errorText(err) });
    }
  }
  if (deletedMember) {
    try {
      const list: unknown = JSON.parse(new TextDecoder().decode(await source.read(deletedMember.name)));
      if (!Array.isArray(list) || !list.every((x) => typeof x === "string")) throw new Error("expected a JSON list of paths");
      changes.deleted = list as string[];
    } catch (err) {
      warnings.push({ member: deletedMember.name, message: errorText(err) });
    }
  }
  return changes;
}

/**
 * A timestamp as Go's time.Format(time.RFC3339) prints it: whole seconds, "Z" for UTC or the
 * offset as written. A text that is not a timestamp is returned unchanged.
 */
export function rfc3339Seconds(text: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return text;
  return `${m[1]}${m[2] === "+00:00" ? "Z" : m[2]}`;
}
