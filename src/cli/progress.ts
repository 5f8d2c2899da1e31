// Progress on stderr while a long input is read: bytes done (of the total, when known) and the
// rate, redrawn in place a few times a second. Only when stderr is a terminal, only once the work
// has taken a second, and never with --quiet. Whether stderr is a terminal is asked only then:
// making process.stderr loads Node's tty or net module, which a short run does without.

const FIRST_AFTER_MS = 1000;
const EVERY_MS = 250;

export interface Progress {
  /** Counts `n` more bytes read. */
  add(n: number): void;
  /** Clears the line (the work is over, or an error is about to be printed). */
  end(): void;
}

export const NO_PROGRESS: Progress = { add: () => undefined, end: () => undefined };

export function progressOnStderr(label: string, total: number | undefined, quiet: boolean): Progress {
  if (quiet) return NO_PROGRESS;
  const start = Date.now();
  let terminal: boolean | undefined;
  let done = 0;
  let last = 0;
  let drawn = false;
  return {
    add(n) {
      done += n;
      const now = Date.now();
      if (now - start < FIRST_AFTER_MS || now - last < EVERY_MS) return;
      terminal ??= process.stderr.isTTY === true;
      if (!terminal) return;
      last = now;
      drawn = true;
      process.stderr.write(`\r\x1b[K${progressLine(label, done, total, (now - start) / 1000)}`);
    },
    end() {
      if (drawn) process.stderr.write("\r\x1b[K");
      drawn = false;
    },
  };
}

/** `crit: big.img: 120.0 / 300.0 MiB (40%), 85.2 MiB/s` */
export function progressLine(label: string, done: number, total: number | undefined, seconds: number): string {
  const mib = (n: number) => (n / (1 << 20)).toFixed(1);
  const of = total ? ` / ${mib(total)} MiB (${Math.floor((100 * done) / total)}%)` : " MiB";
  const rate = seconds > 0 ? `, ${mib(done / seconds)} MiB/s` : "";
  return `crit: ${label}: ${mib(done)}${of}${rate}`;
}
