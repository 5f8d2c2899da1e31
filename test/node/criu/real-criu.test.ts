import { isFieldSet, type DescMessage, type Message } from "@bufbuild/protobuf";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { criu_featuresSchema, criu_req_type, type criu_resp } from "../../../src/gen/rpc_pb";
import { createCriuClient, CriuError, type CriuClient } from "../../../src/node/index";
import { findCriu } from "./criu-binary";
import { childPids, eventually, openFdCount } from "./process-state";

// Requests to the real CRIU 4.2 that touch no process: version, check, features, errors, leaks.
const criu = findCriu();

/** Whether a decoded message (or any message inside it) kept bytes that its schema does not know. */
function unknownFieldsIn(value: unknown, path = "criu_resp"): string[] {
  if (value === null || typeof value !== "object") return [];
  const found: string[] = [];
  const unknown = (value as { $unknown?: unknown[] }).$unknown;
  if (unknown && unknown.length > 0) found.push(path);
  for (const [key, inner] of Object.entries(value)) if (key !== "$unknown") found.push(...unknownFieldsIn(inner, `${path}.${key}`));
  return found;
}

describe.skipIf(criu.skip !== undefined)("real CRIU: version, check, features", () => {
  let client: CriuClient;
  beforeAll(() => {
    client = createCriuClient({ binary: criu.binary, timeoutMs: 60_000 });
  });

  it("version() is CRIU 4.2 and isCriuAtLeast compares with it", async () => {
    const version = await client.version();
    expect(version.majorNumber).toBe(4);
    expect(version.minorNumber).toBeGreaterThanOrEqual(2);
    expect(version.gitid).toMatch(/^v4\./);
    expect(await client.isCriuAtLeast("4.2")).toBe(true);
    expect(await client.isCriuAtLeast(30000)).toBe(true);
    expect(await client.isCriuAtLeast("99.0")).toBe(false);
  });

  it("check() succeeds where `criu check` does", async () => {
    await expect(client.check()).resolves.toBeUndefined();
  });

  it("CPUINFO_DUMP writes cpuinfo.img and CPUINFO_CHECK accepts it on the same machine", async () => {
    const { mkdtempSync, existsSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "criu-cpuinfo-"));
    try {
      await client.cpuinfoDump({ imagesDir: dir, logFile: "cpuinfo.log" });
      expect(existsSync(join(dir, "cpuinfo.img"))).toBe(true);
      await client.cpuinfoCheck({ imagesDir: dir, logFile: "cpuinfo-check.log" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("property: VERSION, CHECK and FEATURE_CHECK with any feature set encode to requests CRIU accepts; the answers decode without unknown fields", async () => {
    const featureSet = fc.record({ memTrack: fc.boolean(), lazyPages: fc.boolean(), pidfdStore: fc.boolean() }, { requiredKeys: [] });
    const request = fc.oneof(
      fc.constant({ type: criu_req_type.VERSION }),
      fc.constant({ type: criu_req_type.CHECK }),
      featureSet.map((features) => ({ type: criu_req_type.FEATURE_CHECK, features })),
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const resp: criu_resp = await client.request(req);
        expect(resp.type).toBe(req.type);
        expect(resp.success).toBe(true);
        expect(unknownFieldsIn(resp)).toEqual([]);
        if ("features" in req) {
          // CRIU answers every feature asked (CRIU 4.2 answers the others too)
          for (const field of criu_featuresSchema.fields) {
            if (field.localName in req.features) expect(isFieldSet(resp.features as Message, field as DescMessage["fields"][number]), field.name).toBe(true);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it("featureCheck() answers each feature (here: no soft-dirty tracking, lazy pages and pidfd store yes)", async () => {
    const features = await client.featureCheck({ memTrack: true, lazyPages: true, pidfdStore: true });
    expect(typeof features.memTrack).toBe("boolean");
    expect(typeof features.lazyPages).toBe("boolean");
    expect(typeof features.pidfdStore).toBe("boolean");
  });

  it("a dump of a pid that does not exist is criu-failed with cr_errno and the log's last lines", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "criu-nopid-"));
    try {
      const err = (await client.dump({ imagesDir: dir, pid: 0x3ffffff, logFile: "dump.log" }).catch((e: unknown) => e)) as CriuError;
      expect(err).toBeInstanceOf(CriuError);
      expect(err.kind).toBe("criu-failed");
      expect(err.crErrno).toBeGreaterThan(0);
      expect(err.details.logPath).toBe(join(dir, "dump.log"));
      expect(err.logTail?.join("\n")).toMatch(/FAILED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an images directory fd that is not open is criu-failed", async () => {
    const err = (await client.dump({ imagesDir: 1_000_000, pid: process.pid }).catch((e: unknown) => e)) as CriuError;
    expect(err).toBeInstanceOf(CriuError);
    expect(err.kind).toBe("criu-failed");
    expect(err.crErrno).toBeGreaterThan(0);
  });

  it("a binary that does not exist is binary-missing", async () => {
    const err = await createCriuClient({ binary: `${criu.binary}-does-not-exist` }).version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CriuError);
    expect((err as CriuError).kind).toBe("binary-missing");
  });

  describe("no leaks", () => {
    let fdsBefore = 0;
    beforeAll(async () => {
      await createCriuClient({ binary: criu.binary }).version(); // load the socket module first
      fdsBefore = openFdCount();
    });

    it("100 sequential clients leave no child process and no fd open", { timeout: 600_000 }, async () => {
      const started = Date.now();
      for (let i = 0; i < 100; i++) {
        const version = await createCriuClient({ binary: criu.binary, timeoutMs: 60_000 }).version();
        expect(version.majorNumber).toBe(4);
      }
      console.log(`100 version() calls (a criu swrk each): ${Date.now() - started} ms`);
      expect(await eventually(() => childPids().length === 0)).toBe(true);
      expect(await eventually(() => openFdCount() <= fdsBefore), `fds: ${fdsBefore} before, ${openFdCount()} after`).toBe(true);
    });
  });
});
