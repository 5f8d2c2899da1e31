import { createRegistry, type DescEnum, type DescExtension, type DescMessage, type DescService, type Registry } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import type { CriuMessages } from "./all";
import { EXTENDING_FILES, TYPE_FILES } from "./descriptors";
import { criuFile, criuFileNames } from "./files";

type AnyDesc = DescMessage | DescEnum | DescExtension | DescService;

// One registry per file, made when a type of that file is first asked for.
const perFile = new Map<string, Registry>();

function fileRegistry(name: string): Registry {
  let registry = perFile.get(name);
  if (!registry) perFile.set(name, (registry = createRegistry(criuFile(name))));
  return registry;
}

function owner(typeName: string): Registry | undefined {
  return Object.hasOwn(TYPE_FILES, typeName) ? fileRegistry(TYPE_FILES[typeName]!) : undefined;
}

/**
 * Every message, enum and extension of CRIU's v4.2 image and RPC schema, by full name. A lookup
 * decodes the file defining the type (and its imports) the first time; iterating decodes all.
 */
export const criuRegistry: Registry = {
  kind: "registry",
  get: (typeName: string): AnyDesc | undefined => owner(typeName)?.get(typeName),
  getMessage: (typeName: string) => owner(typeName)?.getMessage(typeName),
  getEnum: (typeName: string) => owner(typeName)?.getEnum(typeName),
  getExtension: (typeName: string) => owner(typeName)?.getExtension(typeName),
  getService: (typeName: string) => owner(typeName)?.getService(typeName),
  getExtensionFor(extendee: DescMessage, no: number): DescExtension | undefined {
    const files = Object.hasOwn(EXTENDING_FILES, extendee.typeName) ? EXTENDING_FILES[extendee.typeName]! : [];
    for (const file of files) {
      const found = fileRegistry(file).getExtensionFor(extendee, no);
      if (found) return found;
    }
    return undefined;
  },
  *[Symbol.iterator](): IterableIterator<AnyDesc> {
    for (const file of criuFileNames) yield* fileRegistry(file);
  },
};

/** The schema of the message named `typeName` (e.g. `"core_entry"`), or `undefined`. */
export function findMessageSchema(typeName: string): DescMessage | undefined {
  return criuRegistry.getMessage(typeName);
}

/** The typed schema of one CRIU message by name, decoding its file on first use. */
export function criuMessageSchema<K extends keyof CriuMessages>(typeName: K): GenMessage<CriuMessages[K]> {
  const schema = criuRegistry.getMessage(typeName);
  if (!schema) throw new Error(`no message ${typeName} in the CRIU schema`);
  return schema as GenMessage<CriuMessages[K]>;
}
