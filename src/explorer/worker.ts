// The explorer's worker: holds the open checkpoint, reads and decodes it off the main thread.

import {
  decodeImage,
  imageBytesToCritJson,
  imageInfo,
  isRawImage,
  sourceFromBlob,
  sourceFromBlobs,
  toCritValue,
  type CheckpointSource,
  type MemberInfo,
} from "../index";
import { sourceFromHttp } from "./http-source";
import type { Answer, Envelope, MemberRow, OpenRequest, Overview, Request } from "./protocol";

/** Images larger than this are listed by header only (pages, big payload images). */
const DECODE_LIMIT = 32 << 20;

let source: CheckpointSource | undefined;
let members: readonly MemberInfo[] = [];
let imageDir = "";

async function open(request: OpenRequest): Promise<CheckpointSource> {
  switch (request.kind) {
    case "blobs":
      return sourceFromBlobs(request.files, request.label);
    case "http":
      return sourceFromHttp(request.base, request.label);
    case "archive":
      // tar, tar.gz, tar.zst or tar.xz, told by its first bytes; read by Blob slices and passes.
      return sourceFromBlob(request.blob, request.label);
  }
}


async function overview(): Promise<Overview> {
  const s = current();
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
  if (has("pstree.img")) {
    try {
      result.tasks = decodeImage(await s.read(`${imageDir}pstree.img`), { fileName: "pstree.img", expect: "PSTREE" }).entries.length;
    } catch (err) {
      warnings.push(`pstree.img: ${(err as Error).message}`);
    }
  } else warnings.push("pstree.img is missing: there is no process tree");
  return result;
}

async function memberRows(): Promise<MemberRow[]> {
  const s = current();
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

async function show(name: string, pretty: boolean): Promise<{ name: string; text: string; bytes: number }> {
  const bytes = await current().read(name);
  const base = name.slice(name.lastIndexOf("/") + 1);
  return { name, text: imageBytesToCritJson(bytes, { pretty, fileName: base }), bytes: bytes.length };
}

function current(): CheckpointSource {
  if (!source) throw new Error("no checkpoint is open");
  return source;
}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case "open": {
      await source?.close();
      source = await open(request.source);
      members = await source.members();
      imageDir = members.some((m) => m.name === "checkpoint/inventory.img") ? "checkpoint/" : "";
      return overview();
    }
    case "overview":
      return overview();
    case "members":
      return memberRows();
    case "show":
      return show(request.name, request.pretty);
  }
}

self.onmessage = async (event: MessageEvent<Envelope>) => {
  const { id, request } = event.data;
  let answer: Answer;
  try {
    answer = { id, ok: true, value: await handle(request) };
  } catch (err) {
    answer = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  (self as unknown as Worker).postMessage(answer);
};
