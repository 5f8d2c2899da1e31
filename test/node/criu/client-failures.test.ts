import { describe, expect, it } from "vitest";
import { createCriuClient, CriuError, type CriuErrorKind } from "../../../src/node/index";
import { fakeCriu } from "./fake-criu";
import { childPids, eventually, openFdCount } from "./process-state";

// The client's failure paths against a stand-in CRIU (a node script on the swrk socket), so that
// they are tested on any machine; the real CRIU is in real-criu.test.ts.

async function failure(promise: Promise<unknown>): Promise<CriuError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CriuError);
  return err as CriuError;
}

async function expectKind(promise: Promise<unknown>, kind: CriuErrorKind): Promise<CriuError> {
  const err = await failure(promise);
  expect(err.kind, err.message).toBe(kind);
  return err;
}

describe("CRIU client failures (stand-in CRIU)", () => {
  it("a missing binary is binary-missing", async () => {
    const err = await expectKind(createCriuClient({ binary: "/nonexistent/criu" }).version(), "binary-missing");
    expect(err.message).toContain("/nonexistent/criu");
  });

  it("CRIU exiting before it answers is criu-died with the exit code and its stderr", async () => {
    const err = await expectKind(createCriuClient({ binary: fakeCriu("exit-3") }).check(), "criu-died");
    expect(err.details.exitCode).toBe(3);
    expect(err.details.stderrTail).toContain("fake criu: something is wrong");
  });

  it("CRIU killed by a signal is criu-died with the signal", async () => {
    const err = await expectKind(createCriuClient({ binary: fakeCriu("signal") }).version(), "criu-died");
    expect(err.details.signal).toBe("SIGKILL");
  });

  it("a socket closed without an answer (exit status 0) is closed-early", async () => {
    await expectKind(createCriuClient({ binary: fakeCriu("close") }).version(), "closed-early");
  });

  it("an answer of another request type is bad-response", async () => {
    const err = await expectKind(createCriuClient({ binary: fakeCriu("wrong-type") }).version(), "bad-response");
    expect(err.message).toMatch(/answered CHECK to a VERSION request/);
  });

  it("bytes that are no criu_resp are bad-response", async () => {
    const err = await expectKind(createCriuClient({ binary: fakeCriu("garbage") }).check(), "bad-response");
    expect(err.message).toMatch(/does not decode as criu_resp \(3 bytes\)/);
  });

  it("success: false is criu-failed with cr_errno and cr_errmsg", async () => {
    const err = await expectKind(createCriuClient({ binary: fakeCriu("fail") }).check(), "criu-failed");
    expect(err.crErrno).toBe(2);
    expect(err.crErrmsg).toBe("boom");
  });

  it("a timeout kills CRIU and is timeout", async () => {
    const before = childPids().length;
    const err = await expectKind(createCriuClient({ binary: fakeCriu("hang"), timeoutMs: 1500 }).version(), "timeout");
    expect(err.message).toContain("1500 ms");
    expect(await eventually(() => childPids().length <= before)).toBe(true);
  });

  it("NOTIFY is answered with the callback's verdict", async () => {
    const seen: string[] = [];
    const client = createCriuClient({ binary: fakeCriu("notify") });
    await client.dump({ pid: 1 }, { notify: { "pre-dump": (e) => void seen.push(e.script) } });
    expect(seen).toEqual(["pre-dump"]);
    // false: CRIU is told the hook failed, and (here) answers success: false
    await expectKind(client.dump({ pid: 1 }, { notify: { "pre-dump": () => false } }), "criu-failed");
    // an async callback's verdict counts too
    await client.dump({ pid: 1 }, { notify: { "pre-dump": async () => true } });
  });

  it("a throwing notify callback fails the call with notify-failed, its error as the cause", async () => {
    const boom = new Error("hook broke");
    const client = createCriuClient({ binary: fakeCriu("notify") });
    const err = await expectKind(
      client.dump({ pid: 1 }, {
        notify: {
          "pre-dump": () => {
            throw boom;
          },
        },
      }),
      "notify-failed",
    );
    expect(err.cause).toBe(boom);
    expect(err.message).toContain("pre-dump");
  });

  it("an fd serves one call; options that cannot work are bad-option", async () => {
    expect(() => createCriuClient({ binary: "criu", socketPath: "/x" })).toThrow(CriuError);
    const client = createCriuClient({ binary: fakeCriu("fail") });
    await expectKind(client.dump({ imagesDir: "/nonexistent/images" }), "bad-option");
    await expectKind(client.dump({ imagesDir: -1 }), "bad-option");
  });

  it("a service socket that does not exist is connect-failed", async () => {
    await expectKind(createCriuClient({ socketPath: "/nonexistent/criu.sock" }).version(), "connect-failed");
  });

  it("failures leave no child process and no open fd behind", async () => {
    const modes = ["exit-3", "signal", "close", "wrong-type", "garbage", "fail"] as const;
    // one round first: the socket module and pipes of the first use stay loaded
    for (const mode of modes) await failure(createCriuClient({ binary: fakeCriu(mode) }).version());
    const fds = openFdCount();
    for (let i = 0; i < 2; i++) for (const mode of modes) await failure(createCriuClient({ binary: fakeCriu(mode) }).version());
    expect(await eventually(() => childPids().length === 0 && openFdCount() <= fds)).toBe(true);
  });
});
