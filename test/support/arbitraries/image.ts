import type { DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import type { CriuImage } from "../../../src/image/entries";
import { MAGIC_TABLE, type HeaderKind, type ImageRow } from "../../../src/image/magic-table";
import { pagemap_entrySchema, pagemap_headSchema } from "../../../src/schema/all";
import { criuRegistry } from "../../../src/schema/registry";
import { ghostFileEntriesArbitrary } from "./ghost-file";
import { ipcMsgEntryArbitrary, ipcSemEntryArbitrary, ipcShmEntryArbitrary } from "./ipc-entry";
import { messageArbitrary } from "./message";
import { sizedPayloadEntryArbitrary } from "./sized-payload-entry";

/** Every decodable image type of the magic table (kind "image"). */
export const IMAGE_ROWS: ImageRow[] = MAGIC_TABLE.filter((row): row is ImageRow => row.kind === "image");

export function rowSchema(row: ImageRow): DescMessage {
  const schema = criuRegistry.getMessage(row.message);
  if (!schema) throw new Error(`no schema for ${row.message}`);
  return schema;
}

export interface ImageArbitraryOptions {
  /** Largest number of entries (default 3). */
  maxEntries?: number;
  /** Message depth of plain entries (default 3: enough for core_entry's registers). */
  depth?: number;
  /** Which header to use: the row's own one (default), or any, or none set at all. */
  header?: "row" | "any" | "unset";
}

/** The entries of a random image of type `row`, with payloads consistent with the messages. */
export function entriesArbitrary(row: ImageRow, options: ImageArbitraryOptions = {}): fc.Arbitrary<unknown[]> {
  const n = { maxLength: options.maxEntries ?? 3 };
  switch (row.payload) {
    case "entry":
      return fc.array(messageArbitrary(rowSchema(row), options.depth ?? 3), n);
    case "pagemap":
      return fc
        .tuple(messageArbitrary(pagemap_headSchema), fc.array(messageArbitrary(pagemap_entrySchema), n))
        .map(([head, rest]) => [head, ...rest]);
    case "ghost-file":
      return ghostFileEntriesArbitrary;
    case "ipc-sem":
      return fc.array(ipcSemEntryArbitrary, n);
    case "ipc-msg":
      return fc.array(ipcMsgEntryArbitrary, n);
    case "ipc-shm":
      return fc.array(ipcShmEntryArbitrary, n);
    default:
      return fc.array(sizedPayloadEntryArbitrary(row.payload), n);
  }
}

const HEADERS: HeaderKind[] = ["common", "service", "none"];

/** A random image of type `row`: header, then entries. */
export function imageArbitrary(row: ImageRow, options: ImageArbitraryOptions = {}): fc.Arbitrary<CriuImage> {
  const header: fc.Arbitrary<HeaderKind | undefined> =
    options.header === "any" ? fc.constantFrom(...HEADERS) : options.header === "unset" ? fc.constant(undefined) : fc.constant(row.header);
  return fc.tuple(header, entriesArbitrary(row, options)).map(
    ([h, entries]) => (h === undefined ? { magic: row.name, entries } : { magic: row.name, header: h, entries }) as CriuImage,
  );
}

/** A random image of any decodable type. */
export const anyImageArbitrary = (options: ImageArbitraryOptions = {}): fc.Arbitrary<CriuImage> =>
  fc.constantFrom(...IMAGE_ROWS).chain((row) => imageArbitrary(row, options));
