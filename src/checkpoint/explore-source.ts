// crit's explorers (ps, fds, mems, rss) read images synchronously by name; over any
// CheckpointSource (a directory, an archive) the small images are read first, in one pass.

import type { CheckpointSource } from "../source/source";
import type { DumpSource } from "./dump-source";
import { imagesDirOf, isSmallImage, readWhole } from "./model/image-set";

/** The images of `source` (at its root or under checkpoint/) as a DumpSource; pages are not read. */
export async function readDumpSource(source: CheckpointSource): Promise<DumpSource> {
  const members = (await source.members()).filter((m) => m.type === "file");
  const dir = imagesDirOf(members) ?? "";
  const names = members.map((m) => m.name).filter((n) => n.startsWith(dir) && !n.slice(dir.length).includes("/") && isSmallImage(n.slice(dir.length)));
  const bytes = await readWhole(source, names);
  const byImage = new Map([...bytes].map(([name, b]) => [name.slice(dir.length), b]));
  return { read: (name) => byImage.get(name) };
}
