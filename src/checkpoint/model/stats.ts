// CRIU's dump and restore statistics: stats-dump / stats-restore in the images folder, or (in a
// Podman archive) stats-dump beside checkpoint/.

import { decodeImage } from "../../image/decode";
import type { CheckpointSource, MemberInfo } from "../../source/source";
import { errorText, type CheckpointWarning } from "./errors";
import { readWhole } from "./image-set";
import type { DumpStats, RestoreStats } from "./types";

export async function readStats(
  source: CheckpointSource,
  members: readonly MemberInfo[],
  imagesDir: string,
  warnings: CheckpointWarning[],
): Promise<{ dump: DumpStats | undefined; restore: RestoreStats | undefined }> {
  const names = new Set(members.filter((m) => m.type === "file").map((m) => m.name));
  const pick = (file: string) => [imagesDir + file, file].find((n) => names.has(n));
  const dumpName = pick("stats-dump");
  const restoreName = pick("stats-restore");
  const wanted = [dumpName, restoreName].filter((n): n is string => n !== undefined);
  const bytes = await readWhole(source, wanted);
  const decode = (name: string | undefined) => {
    if (name === undefined) return undefined;
    try {
      return decodeImage(bytes.get(name)!, { fileName: name, expect: "STATS" }).entries[0];
    } catch (err) {
      warnings.push({ member: name, message: errorText(err) });
      return undefined;
    }
  };
  const d = decode(dumpName)?.dump;
  const r = decode(restoreName)?.restore;
  return {
    dump: d && {
      freezingTime: d.freezingTime,
      frozenTime: d.frozenTime,
      memdumpTime: d.memdumpTime,
      memwriteTime: d.memwriteTime,
      pagesScanned: d.pagesScanned,
      pagesSkippedParent: d.pagesSkippedParent,
      pagesWritten: d.pagesWritten,
      pagesLazy: d.pagesLazy,
      irmapResolve: d.irmapResolve,
    },
    restore: r && {
      pagesCompared: r.pagesCompared,
      pagesSkippedCow: r.pagesSkippedCow,
      pagesRestored: r.pagesRestored,
      forkingTime: r.forkingTime,
      restoreTime: r.restoreTime,
    },
  };
}
