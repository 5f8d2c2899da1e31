// A tar inside a source (rootfs-diff.tar): the same members whether the source reads by range or
// only streams, whatever the chunk size, and damage named as the member inside the source.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listNestedTar } from "../../src/source/nested-tar";
import { sourceFromFiles } from "../../src/source/files";
import { isSourceError, type CheckpointSource } from "../../src/source/source";
import { writeTar } from "../support/tar-writer";

/** The same files, but only streamed, in chunks of `chunk` bytes. */
function streamOnly(inner: CheckpointSource, files: Map<string, Uint8Array>, chunk: number): CheckpointSource {
  return {
    ...inner,
    randomAccess: false,
    async stream(names, onChunk, signal) {
      for (const name of names) {
        const bytes = files.get(name)!;
        for (let at = 0; at < bytes.length; at += chunk) {
          if (signal?.aborted) return;
          await onChunk(name, at, bytes.slice(at, at + chunk));
        }
      }
    },
  };
}

const entryName = fc.stringMatching(/^[a-z]{1,12}(\/[a-z]{1,12}){0,3}$/);

describe("listNestedTar", () => {
  it("lists the same members by range and by stream, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ name: entryName, size: fc.nat(3000) }), { selector: (e) => e.name, maxLength: 8 }),
        fc.integer({ min: 1, max: 4096 }),
        async (entries, chunk) => {
          const tar = writeTar(entries.map((e) => ({ name: e.name, data: new Uint8Array(e.size).fill(7) })));
          const files = new Map([["rootfs-diff.tar", tar]]);
          const source = sourceFromFiles(files);
          const member = { name: "rootfs-diff.tar", size: tar.length, type: "file" as const };
          const want = entries.map((e) => ({ name: e.name, size: e.size, type: "file" }));
          expect(await listNestedTar(source, member)).toEqual(want);
          expect(await listNestedTar(streamOnly(source, files, chunk), member)).toEqual(want);
        },
      ),
    );
  });

  it("names the member when the nested tar is cut short", async () => {
    const tar = writeTar([{ name: "a/b", data: new Uint8Array(2000) }]).subarray(0, 1024);
    const files = new Map([["rootfs-diff.tar", tar]]);
    const member = { name: "rootfs-diff.tar", size: tar.length, type: "file" as const };
    for (const source of [sourceFromFiles(files, "ckpt.tar"), streamOnly(sourceFromFiles(files, "ckpt.tar"), files, 100)]) {
      const err = await listNestedTar(source, member).then(() => undefined, (e: unknown) => e);
      // By range the length is known ahead ("corrupt": the size field runs past it); by stream the data stops ("truncated").
      expect(isSourceError(err) && ["truncated", "corrupt"].includes(err.kind) && err.message.startsWith("ckpt.tar: rootfs-diff.tar")).toBe(true);
    }
  });
});
