// Engine metadata by the io.container.manager annotation, as checkpointctl reads it; unknown
// files listed; deleted.files read. Made-up engine files beside podman-busybox's images.
import { describe, expect, it } from "vitest";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import { rfc3339Seconds } from "../../src/checkpoint/engine/metadata";
import { sourceFromFiles } from "../../src/source/files";
import { corpusDir } from "../support/corpus";
import { readTree } from "../support/source-dir";

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

function withEngine(files: Record<string, Uint8Array>) {
  const map = readTree(`${corpusDir}podman-busybox/images`, "checkpoint/");
  for (const [k, v] of Object.entries(files)) map.set(k, v);
  return openCheckpoint(sourceFromFiles(map, "made-up"));
}

describe("engine metadata", () => {
  it("reads a CRI-O checkpoint: name from the Metadata annotation, pod and namespace", async () => {
    const cp = await withEngine({
      "config.dump": json({ id: "abc", rootfsImageName: "quay.io/x/counter:latest", runtime: "crun", createdTime: "2023-02-13T16:20:09.123Z" }),
      "spec.dump": json({
        annotations: {
          "io.container.manager": "cri-o",
          "io.kubernetes.cri-o.Metadata": '{"name":"counter"}',
          "io.kubernetes.cri-o.Created": "2023-02-13T16:20:09.000000000Z",
          "io.kubernetes.cri-o.IP.0": "10.85.0.9",
          "io.kubernetes.pod.name": "counters",
          "io.kubernetes.pod.namespace": "default",
        },
      }),
      "deleted.files": json(["/etc/motd"]),
      "extra.bin": new Uint8Array(3),
    });
    expect(cp.engine).toMatchObject({ engine: "CRI-O", containerName: "counter", podName: "counters", namespace: "default", ip: "10.85.0.9", runtime: "crun" });
    expect(cp.engine!.created).toBe("2023-02-13T16:20:09.000000000Z");
    expect(cp.rootFs).toEqual({ added: [], deleted: ["/etc/motd"] });
    expect(cp.unknownFiles).toEqual(["extra.bin"]);
  });

  it("reads containerd's names from the CRI annotations", async () => {
    const cp = await withEngine({
      "config.dump": json({ createdTime: "2024-01-02T03:04:05.5+01:00" }),
      "spec.dump": json({ annotations: { "io.kubernetes.cri.container-name": "web", "io.kubernetes.cri.sandbox-name": "pod-1", "io.kubernetes.cri.sandbox-namespace": "ns" } }),
    });
    expect(cp.engine).toMatchObject({ engine: "containerd", containerName: "web", podName: "pod-1", namespace: "ns", created: "2024-01-02T03:04:05+01:00" });
  });

  it("keeps going on engine files that are not JSON", async () => {
    const cp = await withEngine({ "spec.dump": new TextEncoder().encode("{oops"), "deleted.files": new TextEncoder().encode("[1]") });
    expect(cp.warnings.map((w) => w.member).sort()).toEqual(["deleted.files", "spec.dump"]);
    expect(cp.tasks).toHaveLength(4);
  });

  it("formats times as Go's RFC 3339", () => {
    expect(rfc3339Seconds("2026-12-04T15:42:31.230460288Z")).toBe("2026-12-04T15:42:31Z");
    expect(rfc3339Seconds("not a time")).toBe("not a time");
  });
});
