// Limits, signals and timers in the model, checked against what the proc-signals workload set up
// (its SCENARIO.md): handlers, blocked and queued signals, an alternate stack, itimers, POSIX
// timers and rlimits; and the decoders on their own, against the kernel's numbering.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import { pendingSignals, sigactionFlags, signalActions, signalName, signalsInMask } from "../../src/checkpoint/model/signals";
import { create } from "@bufbuild/protobuf";
import { sa_entrySchema } from "../../src/gen/sa_pb";
import { signal_queue_entrySchema, siginfo_entrySchema } from "../../src/gen/siginfo_pb";
import { corpusDir } from "../support/corpus";
import { sourceFromDirs } from "../support/source-dir";

describe("proc-signals", async () => {
  const cp = await openCheckpoint(sourceFromDirs([[corpusDir + "proc-signals/images", ""]], "proc-signals"));
  const task = cp.tasks[0]!;

  it("blocked: SIGUSR1 and SIGRTMIN+1..3", () => {
    expect(task.signals!.blocked.map(signalName)).toEqual(["SIGUSR1", "SIGRTMIN+1", "SIGRTMIN+2", "SIGRTMIN+3"]);
    expect(task.threads[0]!.blocked).toEqual(task.signals!.blocked);
    // The second thread has a mask of its own in its thread_core (crit shows the same bits).
    expect(task.threads[1]!.blocked.map(signalName)).toEqual(["SIGUSR1", "SIGWINCH", "SIGRTMIN+1", "SIGRTMIN+2", "SIGRTMIN+3"]);
  });

  it("process-wide queue: SIGUSR1 from itself, two SIGRTMIN+1 with their values", () => {
    expect(task.signals!.pending).toEqual([
      { signo: 10, name: "SIGUSR1", code: 0, codeName: "SI_USER", senderPid: task.pid, senderUid: 0 },
      { signo: 35, name: "SIGRTMIN+1", code: -1, codeName: "SI_QUEUE", senderPid: task.pid, senderUid: 0, value: 0x1234 },
      { signo: 35, name: "SIGRTMIN+1", code: -1, codeName: "SI_QUEUE", senderPid: task.pid, senderUid: 0, value: 0x5678 },
    ]);
  });

  it("thread queue: SIGRTMIN+2 with value 99 on the second thread", () => {
    const [main, second] = task.threads;
    expect(main!.pending).toEqual([]);
    expect(second!.pending).toMatchObject([{ name: "SIGRTMIN+2", code: -1, value: 99, thread: second!.tid }]);
  });

  it("dispositions: SA_SIGINFO|SA_ONSTACK, SA_RESTART|SA_NODEFER, SA_RESETHAND, SIG_IGN", () => {
    const by = new Map(task.signals!.actions.map((a) => [a.name, a]));
    expect(by.get("SIGHUP")!.handler).toBe("SIG_IGN");
    expect(by.get("SIGUSR1")).toMatchObject({ flags: ["SA_SIGINFO", "SA_RESTORER", "SA_ONSTACK"], mask: [15] });
    expect(by.get("SIGUSR2")!.flags).toEqual(["SA_RESTORER", "SA_RESTART", "SA_NODEFER"]);
    expect(by.get("SIGRTMIN+2")!.flags).toEqual(["SA_RESTORER", "SA_RESETHAND"]);
    expect(by.has("SIGKILL")).toBe(false);
    for (const a of task.signals!.actions) expect(a.handler).toMatch(/^(SIG_IGN|SIG_DFL|0x[0-9a-f]+)$/);
  });

  it("alternate stack and parent-death signal on the main thread", () => {
    expect(task.threads[0]!.altStack).toEqual({ base: "0x4bc320", size: 16384, flags: 0 });
    expect(task.threads[0]!.parentDeathSignal).toBe(1);
  });

  it("rlimits NOFILE 256/2048, CORE, STACK, AS, NPROC", () => {
    const by = new Map(task.limits.map((l) => [l.name, l]));
    expect(task.limits).toHaveLength(16);
    expect(by.get("RLIMIT_NOFILE")).toEqual({ resource: 7, name: "RLIMIT_NOFILE", soft: 256, hard: 2048 });
    expect(by.get("RLIMIT_CORE")).toMatchObject({ soft: 1048576, hard: "unlimited" });
    expect(by.get("RLIMIT_STACK")).toMatchObject({ soft: 4194304, hard: 67108864 });
    expect(by.get("RLIMIT_AS")).toMatchObject({ soft: 8589934592, hard: "unlimited" });
    expect(by.get("RLIMIT_NPROC")).toMatchObject({ soft: 1000, hard: 2000 });
  });

  it("timers: three itimers and four POSIX timers on their clocks", () => {
    const t = task.timers!;
    expect(t.real).toEqual({ interval: 1000, value: 1999.843944 });
    expect(t.virtual!.interval).toBe(0.5);
    expect(t.prof!.interval).toBe(40);
    expect(t.posix.map((p) => [p.clock, p.notify, p.signal])).toEqual([
      ["CLOCK_REALTIME", "SIGEV_SIGNAL", "SIGUSR2"],
      ["CLOCK_MONOTONIC", "SIGEV_THREAD_ID", "SIGALRM"],
      ["CLOCK_BOOTTIME", "SIGEV_SIGNAL", "SIGUSR2"],
      ["CLOCK_MONOTONIC", "SIGEV_NONE", "SIGUSR2"],
    ]);
    expect(t.posix[1]!.thread).toBe(task.pid);
  });
});

describe("signal decoders", () => {
  it("a mask gives back exactly the signals set in it", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 128 })), (sigs) => {
        let lo = 0n;
        let hi = 0n;
        for (const s of sigs) {
          if (s <= 64) lo |= 1n << BigInt(s - 1);
          else hi |= 1n << BigInt(s - 65);
        }
        expect(signalsInMask(lo, hi)).toEqual([...sigs].sort((a, b) => a - b));
      }),
    );
  });

  it("names follow kill -l", () => {
    expect([1, 9, 17, 19, 31, 32, 34, 35, 49, 50, 63, 64].map(signalName)).toEqual([
      "SIGHUP", "SIGKILL", "SIGCHLD", "SIGSTOP", "SIGSYS", "SIG32", "SIGRTMIN", "SIGRTMIN+1", "SIGRTMIN+15",
      "SIGRTMAX-14", "SIGRTMAX-1", "SIGRTMAX",
    ]);
  });

  it("sigactions skip SIGKILL and SIGSTOP in their numbering", () => {
    const entries = Array.from({ length: 62 }, (_, i) => create(sa_entrySchema, { sigaction: BigInt(0x1000 + i) }));
    const signos = signalActions(entries).map((a) => a.signo);
    expect(signos).toHaveLength(62);
    expect(signos.includes(9) || signos.includes(19)).toBe(false);
    expect(signos.at(-1)).toBe(64);
  });

  it("unknown flag bits are kept", () => {
    expect(sigactionFlags(0x4n | 0x20000n)).toEqual(["SA_SIGINFO", "0x20000"]);
  });

  it("a siginfo of any length never throws", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 140 }), (bytes) => {
        const q = create(signal_queue_entrySchema, { signals: [create(siginfo_entrySchema, { siginfo: bytes })] });
        const [sig] = pendingSignals(q);
        expect(sig!.signo).toBe(bytes.length >= 4 ? new DataView(bytes.buffer).getInt32(0, true) : 0);
      }),
    );
  });
});
