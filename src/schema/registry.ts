import { createRegistry, type DescMessage, type Registry } from "@bufbuild/protobuf";
import { criuFiles } from "./all";

/** Every message, enum and extension of CRIU's v4.2 image and RPC schema, by full name. */
export const criuRegistry: Registry = createRegistry(...criuFiles);

/** The schema of the message named `typeName` (e.g. `"core_entry"`), or `undefined`. */
export function findMessageSchema(typeName: string): DescMessage | undefined {
  return criuRegistry.getMessage(typeName);
}
