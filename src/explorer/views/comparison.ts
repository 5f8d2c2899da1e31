// The state of the diff view, kept by the app so that it outlives the tab: the second checkpoint,
// the diff without pages (quick: the models only), then the page comparison run in the worker
// with progress and cancel. A newer open makes older answers stale; they are dropped.

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { CheckpointDiff } from "../../index";
import type { WorkerClient } from "../client";
import type { ChangeCounts, OpenRequest, Overview } from "../protocol";

export type PagesState =
  | { state: "not compared" }
  | { state: "running"; id: number; progress?: { done: number; total: number } }
  | { state: "cancelled" }
  | { state: "compared" };

export interface ComparisonState {
  second?: Overview;
  result?: { diff: CheckpointDiff; counts: ChangeCounts };
  pages: PagesState;
  opening: boolean;
  error?: string;
}

export interface Comparison extends ComparisonState {
  /** Stable across renders, like the others. */
  openSecond(source: OpenRequest): Promise<void>;
  comparePages(): void;
  cancelPages(): void;
  closeSecond(): void;
}

const IDLE: ComparisonState = { pages: { state: "not compared" }, opening: false };

export function useComparison(worker: WorkerClient, first: Overview | undefined): Comparison {
  const [state, setState] = useState<ComparisonState>(IDLE);
  const generation = useRef(0);
  const hasSecond = useRef(false);

  /** Applies `patch` unless a newer open or close came since `gen`. */
  const update = useCallback((gen: number, patch: Partial<ComparisonState>) => {
    if (gen === generation.current) setState((s) => ({ ...s, ...patch }));
  }, []);

  const comparePages = useCallback(
    (gen = generation.current) => {
      const asked = worker.start({ op: "diff", pages: true }, (progress) => update(gen, { pages: { state: "running", id: asked.id, progress } }));
      update(gen, { pages: { state: "running", id: asked.id }, error: undefined });
      asked.result.then(
        (answer) => update(gen, "cancelled" in answer ? { pages: { state: "cancelled" } } : { result: answer, pages: { state: "compared" } }),
        (err: Error) => update(gen, { pages: { state: "not compared" }, error: err.message }),
      );
    },
    [worker, update],
  );

  /** The quick diff first, so the page shows something at once, then the pages. */
  const compare = useCallback(
    async (gen: number) => {
      update(gen, { result: undefined, pages: { state: "not compared" }, error: undefined });
      try {
        const quick = await worker.ask({ op: "diff", pages: false });
        if ("cancelled" in quick) return;
        update(gen, { result: quick });
        comparePages(gen);
      } catch (err) {
        update(gen, { error: (err as Error).message });
      }
    },
    [worker, update, comparePages],
  );

  const openSecond = useCallback(
    async (source: OpenRequest) => {
      const gen = ++generation.current;
      hasSecond.current = false; // the worker drops the one it had
      setState({ ...IDLE, opening: true });
      try {
        const second = await worker.ask({ op: "open", source, second: true });
        hasSecond.current = true;
        update(gen, { second, opening: false });
        await compare(gen);
      } catch (err) {
        update(gen, { opening: false, error: (err as Error).message });
      }
    },
    [worker, update, compare],
  );

  // A new first checkpoint: compare it with the second one again.
  useEffect(() => {
    if (!first || !hasSecond.current) return;
    void compare(++generation.current);
  }, [first, compare]);

  const closeSecond = useCallback(() => {
    generation.current++;
    hasSecond.current = false;
    setState(IDLE);
    void worker.ask({ op: "close-second" }).catch(() => undefined);
  }, [worker]);

  const pages = useRef(state.pages);
  pages.current = state.pages;
  const cancelPages = useCallback(() => {
    if (pages.current.state === "running") worker.cancel(pages.current.id);
  }, [worker]);
  const comparePagesNow = useCallback(() => comparePages(), [comparePages]);

  return { ...state, openSecond, comparePages: comparePagesNow, cancelPages, closeSecond };
}
