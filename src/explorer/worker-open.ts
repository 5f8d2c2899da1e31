// One checkpoint as the worker holds it: its source, members, where the images sit and the model;
// and what the overview and the image list show of it. The worker holds two: the one explored
// and, for the diff, a second one.

import {
  decodeImage,
  imageBytesToCritJson,
  imageInfo,
  isRawImage,
  keepTaskStrings,
  openCheckpoint,
  sourceFromBlob,
  sourceFromBlobs,
  toCritValue,
  type Checkpoint,
  type CheckpointSource,
  type MemberInfo,
} from "../index";
import { sourceFromHttp } from "./http-source";
import type { MemberRow, OpenRequest, Overview } from "./protocol";
import { ModelAnswers } from "./worker-model";

/** Images larger than this are listed by header only (pages, big payload images). */
const DECODE_LIMIT = 32 << 20;

export interface Opened {
  source: CheckpointSource;
  members: readonly MemberInfo[];
  /** Where the images sit: "" (a dump directory) or "checkpoint/" (an engine's archive). */
  imageDir: string;
  model: ModelAnswers;
}

/** Opens the source the page names and builds its model (a model that fails leaves the images readable). */
export async function openChecked(request: OpenRequest): Promise<Opened> {
  const source = await openSource(request);
  try {
    const members = await source.members();
    const imageDir = members.some((m) => m.name === "checkpoint/inventory.img") ? "checkpoint/" : "";
    const opened = await openCheckpoint(source).then(
      (c) => ({ c, error: undefined }),
      (err: unknown) => ({ c: undefined, error: `the process tree and files cannot be shown: ${(err as Error).message}` }),
    );
    return { source, members, imageDir, model: new ModelAnswers(source, opened.c, opened.error) };
  } catch (err) {
    await source.close();
    throw err;
  }
}

async function openSource(request: OpenRequest): Promise<CheckpointSource> {
  switch (request.kind) {
    case "blobs":
      return sourceFromBlobs(request.files, request.label);
    case "http":
      return sourceFromHttp(request.base, request.label);
    case "archive":
      // tar, tar.gz, tar.zst or tar.xz, told by its first bytes; read by Blob slices and passes.
      // The pass at open keeps the pages of argv and environment: the model needs no second pass.
      return sourceFromBlob(request.blob, request.label, { keepRanges: keepTaskStrings });
  }
}

export async function overview({ source: s, members, imageDir, model }: Opened): Promise<Overview> {
  const warnings: string[] = [];
  const images = members.filter((m) => m.type === "file" && m.name.startsWith(imageDir) && m.name.endsWith(".img"));
  const pagesBytes = images.filter((m) => /(^|\/)pages-\d+\.img$/.test(m.name)).reduce((n, m) => n + m.size, 0);
  const result: Overview = {
    label: s.label,
    format: s.format,
    members: members.length,
    totalBytes: members.reduce((n, m) => n + m.size, 0),
    pagesBytes,
    images: images.length,
    imageDir,
    warnings,
  };
  const has = (name: string) => members.some((m) => m.name === imageDir + name);
  if (has("inventory.img")) {
    try {
      const inventory = decodeImage(await s.read(`${imageDir}inventory.img`), { fileName: "inventory.img", expect: "INVENTORY" });
      const value = toCritValue(inventory, { pretty: true }) as { entries: Record<string, unknown>[] };
      result.inventory = value.entries[0];
    } catch (err) {
      warnings.push(`inventory.img: ${(err as Error).message}`);
    }
  } else warnings.push("inventory.img is missing: this is not a complete CRIU dump");
  const checkpoint = model.checkpoint;
  if (checkpoint) addModelFacts(result, checkpoint);
  else if (model.error) warnings.push(model.error);
  return result;
}

function addModelFacts(result: Overview, c: Checkpoint): void {
  result.tasks = c.tasks.length;
  result.criuImageVersion = c.inventory.imageVersion;
  const e = c.engine;
  if (e) {
    result.engine = {
      engine: e.engine,
      containerName: e.containerName,
      image: e.image,
      id: e.id,
      runtime: e.runtime,
      created: e.created,
      ...(e.checkpointed ? { checkpointed: e.checkpointed } : {}),
      ...(e.podName ? { podName: e.podName } : {}),
      ...(e.namespace ? { namespace: e.namespace } : {}),
    };
  }
  result.rootFsDiffBytes = c.sizes.rootFsDiff;
  if (c.rootFs) result.rootFs = { added: c.rootFs.added.length, deleted: c.rootFs.deleted.length };
  const stats = c.stats.dump;
  if (stats) {
    result.dumpStats = {
      "freezing time": `${stats.freezingTime} µs`,
      "frozen time": `${stats.frozenTime} µs`,
      "memory dump time": `${stats.memdumpTime} µs`,
      "memory write time": `${stats.memwriteTime} µs`,
      "pages scanned": String(stats.pagesScanned),
      "pages written": String(stats.pagesWritten),
    };
  }
  result.deadTasks = c.tasks.filter((t) => t.state === "Zombie").map((t) => t.pid);
  for (const w of c.warnings) result.warnings.push(`${w.member || "checkpoint"}${w.pid === undefined ? "" : ` (task ${w.pid})`}: ${w.message}`);
}

export async function memberRows({ source: s, members }: Opened): Promise<MemberRow[]> {
  const rows: MemberRow[] = [];
  for (const m of members) {
    if (m.type !== "file") continue;
    const row: MemberRow = { name: m.name, size: m.size, magic: "" };
    rows.push(row);
    if (!m.name.endsWith(".img")) continue;
    const base = m.name.slice(m.name.lastIndexOf("/") + 1);
    try {
      if (m.size > DECODE_LIMIT) {
        row.magic = /^pages-/.test(base) ? "PAGES" : "(large)";
        row.raw = /^pages-/.test(base);
        continue;
      }
      const image = decodeImage(await s.read(m.name), { fileName: base });
      const info = imageInfo(image);
      row.magic = info.magic;
      if (isRawImage(image)) row.raw = true;
      else row.entries = info.count;
    } catch (err) {
      row.error = (err as Error).message;
    }
  }
  return rows;
}

export async function show({ source }: Opened, name: string, pretty: boolean): Promise<{ name: string; text: string; bytes: number }> {
  const bytes = await source.read(name);
  const base = name.slice(name.lastIndexOf("/") + 1);
  return { name, text: imageBytesToCritJson(bytes, { pretty, fileName: base }), bytes: bytes.length };
}
