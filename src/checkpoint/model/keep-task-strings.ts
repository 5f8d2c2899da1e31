// The pages holding every task's argv and environment, named while an archive is opened: a
// KeepRanges hook (sourceFromBlob's and openSource's `keepRanges` option). The pass at open keeps
// those pages as it decompresses pages-ID.img, having already kept the mm and pagemap images
// that come before it in a CRIU or engine archive, so that openCheckpoint finds argv and
// environment in memory instead of decompressing the archive a second time.

import { decodeImage } from "../../image/decode";
import type { EntriesOf } from "../../image/entries";
import type { KeepRanges, KeptRange } from "../../source/archive-pass";
import { planTaskStrings } from "./task-memory";

const PAGES = /^((?:checkpoint\/)?)pages-(\d+)\.img$/;
const PAGEMAP = /^pagemap-(\d+)\.img$/;

/**
 * The argv and environment ranges of `member` (a pages image) for the tasks whose mm and pagemap
 * images were kept before it. Images that do not decode are skipped here: openCheckpoint reports
 * them when it reads them.
 */
export const keepTaskStrings: KeepRanges = (member, kept) => {
  const pages = PAGES.exec(member.name);
  if (!pages) return [];
  const dir = pages[1]!;
  const ranges: KeptRange[] = [];
  for (const [name, bytes] of kept) {
    const pid = name.startsWith(dir) ? PAGEMAP.exec(name.slice(dir.length))?.[1] : undefined;
    const mmBytes = pid === undefined ? undefined : kept.get(`${dir}mm-${pid}.img`);
    if (pid === undefined || mmBytes === undefined) continue;
    try {
      const pagemap = decodeImage(bytes, { fileName: `pagemap-${pid}.img`, expect: "PAGEMAP" }).entries as EntriesOf<"PAGEMAP">;
      const head = pagemap[0];
      if (head?.$typeName !== "pagemap_head" || String(head.pagesId) !== pages[2]) continue;
      const mm = decodeImage(mmBytes, { fileName: `mm-${pid}.img`, expect: "MM" }).entries[0] as EntriesOf<"MM">[number] | undefined;
      for (const { planned } of planTaskStrings(mm, pagemap, Number(pid), dir, (n) => (dir + n === member.name ? member.size : undefined))) {
        if (Array.isArray(planned)) ranges.push(...planned.map(({ offset, length }) => ({ offset, length })));
      }
    } catch {
      continue;
    }
  }
  return ranges;
};
