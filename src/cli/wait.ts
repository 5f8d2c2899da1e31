export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A line on stderr, printed once, while waiting for the other end of a FIFO. */
export function waitingNotice(text: string): { show(): void; done(): void } {
  let shown = false;
  return {
    show() {
      if (shown) return;
      shown = true;
      process.stderr.write(`crit: ${text}...\n`);
    },
    done() {
      shown = true;
    },
  };
}
