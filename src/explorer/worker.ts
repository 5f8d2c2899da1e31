// The explorer's worker: holds the open checkpoint (and a second one to compare it with), reads
// and decodes them off the main thread.

import { countChanges, diffCheckpoints } from "../index";
import type { Answer, DiffAnswer, Envelope, Request } from "./protocol";
import { memberRows, openChecked, overview, show, type Opened } from "./worker-open";
import type { ModelAnswers } from "./worker-model";

let first: Opened | undefined;
let second: Opened | undefined;
/** Requests that `cancel` can stop, by id, with their op. */
const running = new Map<number, { control: AbortController; op: Request["op"] }>();

function explored(): Opened {
  if (!first) throw new Error("no checkpoint is open");
  return first;
}

function answers(): ModelAnswers {
  return explored().model;
}

/**
 * Opens a checkpoint into the first or the second place; what ran on the one it replaces stops.
 * The second one is dropped first (a failed open leaves none to compare with); the first one only
 * once the new one is open.
 */
async function open(request: Extract<Request, { op: "open" }>): Promise<Opened> {
  for (const r of running.values()) if (!request.second || r.op === "diff") r.control.abort();
  if (request.second) {
    await closeSecond();
    return (second = await openChecked(request.source));
  }
  const old = first;
  first = await openChecked(request.source);
  await old?.source.close();
  return first;
}

async function closeSecond(): Promise<boolean> {
  const old = second;
  second = undefined;
  await old?.source.close();
  return old !== undefined;
}

async function diff(pages: boolean, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<DiffAnswer> {
  const a = explored().model.checkpoint;
  const b = second?.model.checkpoint;
  if (!a) throw new Error(`the first checkpoint cannot be compared: ${explored().model.error ?? "it is not a CRIU checkpoint"}`);
  if (!second) throw new Error("no second checkpoint is open");
  if (!b) throw new Error(`the second checkpoint cannot be compared: ${second.model.error ?? "it is not a CRIU checkpoint"}`);
  try {
    const d = await diffCheckpoints(a, b, { pages, signal, onProgress: (p) => onProgress(p.done, p.total) });
    return { diff: d, counts: countChanges(d) };
  } catch (err) {
    if (signal.aborted) return { cancelled: true };
    throw err;
  }
}

/** Runs a long request that `cancel` can stop, posting its progress at most every 100 ms. */
async function cancellable<T>(id: number, op: Request["op"], run: (signal: AbortSignal, progress: (done: number, total: number) => void) => Promise<T>): Promise<T> {
  const control = new AbortController();
  running.set(id, { control, op });
  let last = 0;
  try {
    return await run(control.signal, (done, total) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      post({ id, progress: { done, total } });
    });
  } finally {
    running.delete(id);
  }
}

async function handle(id: number, request: Request): Promise<unknown> {
  switch (request.op) {
    case "open":
      return overview(await open(request));
    case "close-second":
      for (const r of running.values()) if (r.op === "diff") r.control.abort();
      return closeSecond();
    case "diff":
      return cancellable(id, "diff", (signal, progress) => diff(request.pages, signal, progress));
    case "overview":
      return overview(explored());
    case "members":
      return memberRows(explored());
    case "show":
      return show(explored(), request.name, request.pretty);
    case "tasks":
      return answers().tasks();
    case "namespaces":
      return answers().namespaces();
    case "maps":
      return answers().maps(request.pid);
    case "memory":
      return answers().read(request.pid, request.address, request.length);
    case "search":
      return cancellable(id, "search", (signal, progress) => answers().search(request.pattern, request.pids, request.context, signal, progress));
    case "cancel": {
      const r = running.get(request.target);
      r?.control.abort();
      return r !== undefined;
    }
  }
}

function post(answer: Answer): void {
  (self as unknown as Worker).postMessage(answer);
}

self.onmessage = async (event: MessageEvent<Envelope>) => {
  const { id, request } = event.data;
  try {
    post({ id, ok: true, value: await handle(id, request) });
  } catch (err) {
    post({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
