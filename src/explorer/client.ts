// The page's side of the worker protocol: one promise per request, progress on the side, and
// cancellation of a running request.

import type { Answer, Envelope, Reply, Request } from "./protocol";

export type Progress = (p: { done: number; total: number }) => void;

export interface Asked<T> {
  id: number;
  result: Promise<T>;
}

export interface WorkerClient {
  ask<R extends Request>(request: R, onProgress?: Progress): Promise<Reply<R>>;
  /** Like ask, with the request's id, which `cancel` takes. */
  start<R extends Request>(request: R, onProgress?: Progress): Asked<Reply<R>>;
  cancel(id: number): void;
}

export function startWorker(url: URL | string): WorkerClient {
  const worker = new Worker(url, { type: "module" });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: Progress }>();
  let next = 1;
  worker.onmessage = (event: MessageEvent<Answer>) => {
    const answer = event.data;
    const waiter = pending.get(answer.id);
    if (!waiter) return;
    if ("progress" in answer) return waiter.progress?.(answer.progress);
    pending.delete(answer.id);
    if (answer.ok) waiter.resolve(answer.value);
    else waiter.reject(new Error(answer.error));
  };
  worker.onerror = (event) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`worker failed: ${event.message}`));
    pending.clear();
  };
  const start = <R extends Request>(request: R, onProgress?: Progress): Asked<Reply<R>> => {
    const id = next++;
    const envelope: Envelope = { id, request };
    const result = new Promise<Reply<R>>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress: onProgress });
      worker.postMessage(envelope);
    });
    return { id, result };
  };
  return {
    start,
    ask: (request, onProgress) => start(request, onProgress).result,
    cancel: (target) => void start({ op: "cancel", target }).result.catch(() => undefined),
  };
}
