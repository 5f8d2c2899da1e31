// What crit's explorers print for an open file: a path, pipe[N], unix[...] or TYPE.id.
//
// The file is looked up by id in files.img (CRIU v3.4+). When the id is not there (or there
// is no files.img), crit falls back to the per-type image of pre-v3.4 dumps (reg-files.img,
// pipes.img, unixsk.img) and crashes with FileNotFoundError when that image does not exist.
// We use the legacy image when it exists and otherwise print what crit prints for a file it
// cannot find in the legacy image: "unknown path", "pipe[?]" or "unix[?]".

import { fd_types, fd_typesSchema } from "../gen/fdinfo_pb";
import type { file_entry } from "../gen/fdinfo_pb";
import { toQuotedPrintable } from "../json/quopri";
import type { DumpReader } from "./dump-source";

/** How a file type is found and shown; the types crit knows by name. */
interface Known {
  /** The legacy per-type image, searched when files.img lacks the id. */
  legacy: { name: string; magic: "REG_FILES" | "PIPES" | "UNIXSK" };
  /** The sub-message of file_entry holding this type. */
  inFiles: (f: file_entry) => object | undefined;
  show: (found: object | undefined) => string;
}

const KNOWN = new Map<fd_types, Known>([
  [
    fd_types.REG,
    {
      legacy: { name: "reg-files.img", magic: "REG_FILES" },
      inFiles: (f) => f.reg,
      // An empty path counts as unknown too (crit tests the name's truthiness).
      show: (r) => (r as { name?: string } | undefined)?.name || "unknown path",
    },
  ],
  [
    fd_types.PIPE,
    {
      legacy: { name: "pipes.img", magic: "PIPES" },
      inFiles: (f) => f.pipe,
      show: (p) => (p ? `pipe[${(p as { pipeId: number }).pipeId}]` : "pipe[?]"),
    },
  ],
  [
    fd_types.UNIXSK,
    {
      legacy: { name: "unixsk.img", magic: "UNIXSK" },
      inFiles: (f) => f.usk,
      show: (u) => {
        if (!u) return "unix[?]";
        const sk = u as { ino: number; peer: number; name: Uint8Array };
        // crit shows the name as its JSON does: quoted-printable (the unix_name conversion).
        const name = sk.name.length > 0 ? ` ${toQuotedPrintable(sk.name)}` : "";
        return `unix[${sk.ino} (${sk.peer})${name}]`;
      },
    },
  ],
]);

/** The name of an fd_types value as crit prints it ("INETSK"); the number when unknown. */
export function fdTypeName(type: number): string {
  return fd_typesSchema.value[type as fd_types]?.name ?? String(type);
}

/** Describes files by (type, id), with the lookups cached per dump. */
export class FileNames {
  private readonly cache = new Map<string, string>();
  private byId: Map<number, file_entry> | undefined;

  constructor(private readonly dump: DumpReader) {}

  describe(type: number, id: number): string {
    const key = `${type}:${id}`;
    let text = this.cache.get(key);
    if (text === undefined) {
      text = this.lookup(type, id);
      this.cache.set(key, text);
    }
    return text;
  }

  /** A regular file's path (exe, cwd, root, file-backed VMAs). */
  path(id: number | bigint): string {
    // VMA shmids are uint64, file ids uint32: a larger id matches no file.
    return this.describe(fd_types.REG, typeof id === "bigint" ? bigIdToNumber(id) : id);
  }

  private lookup(type: number, id: number): string {
    const known = KNOWN.get(type);
    if (!known) return `${fdTypeName(type)}.${id}`;
    const entry = this.files().get(id);
    // Found in files.img: the sub-message may be missing if the id belongs to another type,
    // and then crit does not look further.
    if (entry) return known.show(known.inFiles(entry));
    const legacy = this.dump.tryEntries(known.legacy.name, known.legacy.magic);
    return known.show(legacy?.find((e) => e.id === id));
  }

  /** files.img by id; the first entry wins, as in crit's linear search. */
  private files(): Map<number, file_entry> {
    if (!this.byId) {
      this.byId = new Map();
      for (const f of this.dump.tryEntries("files.img", "FILES") ?? []) {
        if (!this.byId.has(f.id)) this.byId.set(f.id, f);
      }
    }
    return this.byId;
  }
}

function bigIdToNumber(id: bigint): number {
  return id <= 0xffffffffn ? Number(id) : -1;
}
