import type { GenFile } from "@bufbuild/protobuf/codegenv2";
import { fileDesc } from "@bufbuild/protobuf/codegenv2";
import { file_google_protobuf_descriptor } from "@bufbuild/protobuf/wkt";
import { CRIU_FILES } from "./descriptors";

// The schema's files, decoded on first use (base64 → FileDescriptorProto → descriptors) and then
// shared: the generated `file_x` constants and criuRegistry hold the same objects. Decoding all
// 76 files costs more than a whole `crit info`; a program touching one image type decodes its
// file and that file's imports only.

const decoded = new Map<string, GenFile>([[file_google_protobuf_descriptor.proto.name, file_google_protobuf_descriptor]]);

/** The names of every file of the schema (`"core.proto"`, ...), in file-name order. */
export const criuFileNames: readonly string[] = Object.keys(CRIU_FILES);

/** The descriptor of one file of the schema by name (e.g. `"pstree.proto"`), decoded once. */
export function criuFile(name: string): GenFile {
  let file = decoded.get(name);
  if (file) return file;
  if (!Object.hasOwn(CRIU_FILES, name)) throw new Error(`no file ${JSON.stringify(name)} in the CRIU schema`);
  const { b64, deps } = CRIU_FILES[name]!;
  file = fileDesc(b64, deps.map(criuFile));
  decoded.set(name, file);
  return file;
}
