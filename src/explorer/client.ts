// The page's side of the worker protocol: one promise per request.

import type { Answer, Envelope, Reply, Request } from "./protocol";

export interface WorkerClient {
  ask<R extends Request>(request: R): Promise<Reply<R>>;
}

export function startWorker(url: URL | string): WorkerClient {
  const worker = new Worker(url, { type: "module" });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  worker.onmessage = (event: MessageEvent<Answer>) => {
    const answer = event.data;
    const waiter = pending.get(answer.id);
    if (!waiter) return;
    pending.delete(answer.id);
    if (answer.ok) waiter.resolve(answer.value);
    else waiter.reject(new Error(answer.error));
  };
  worker.onerror = (event) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`worker failed: ${event.message}`));
    pending.clear();
  };
  return {
    ask<R extends Request>(request: R): Promise<Reply<R>> {
      const id = next++;
      const envelope: Envelope = { id, request };
      return new Promise<Reply<R>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage(envelope);
      });
    },
  };
}
