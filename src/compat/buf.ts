import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join } from "node:path";

// Finding buf, which compiles directories of .proto files (descriptor sets and shipped `criu:`
// releases need no buf). It is a dev dependency of this package, so an installed package may well
// not have it: look where npm puts it, then on PATH, and say what to install when it is nowhere.

export const BUF_MISSING =
  "needs buf to compile .proto files, and buf was not found (neither in node_modules nor on PATH): " +
  "install it (`npm install --save-dev @bufbuild/buf`, or see https://buf.build/docs/installation), " +
  "or give a descriptor set (`buf build -o schema.binpb`) or a shipped release (criu:v4.2) instead";

/** The buf executable to run, or undefined when there is none. */
export function findBuf(packageRoot: string, path = process.env.PATH ?? ""): string | undefined {
  // The native binary of @bufbuild/buf's platform package, first: node_modules/.bin/buf is a
  // Node script that starts it, ~0.1 s more per build...
  const native = platformBuf(packageRoot);
  if (native) return native;
  // ...a node_modules/.bin/buf in the package or any folder above it (npm's layout)...
  for (let d = packageRoot; ; d = dirname(d)) {
    const bin = join(d, "node_modules", ".bin", "buf");
    if (isExecutable(bin)) return bin;
    if (dirname(d) === d) break;
  }
  // ...or the @bufbuild/buf package wherever Node resolves it from here...
  try {
    const pkg = createRequire(join(packageRoot, "package.json")).resolve("@bufbuild/buf/package.json");
    const bin = join(dirname(pkg), "bin", "buf");
    if (isExecutable(bin)) return bin;
  } catch {
    // Not installed: try PATH.
  }
  // ...or on PATH.
  for (const dir of path.split(delimiter)) {
    if (dir && isExecutable(join(dir, "buf"))) return join(dir, "buf");
  }
  return undefined;
}

/** @bufbuild/buf-PLATFORM-ARCH's binary, resolved as @bufbuild/buf resolves it (its optional dependency). */
function platformBuf(packageRoot: string): string | undefined {
  try {
    const buf = createRequire(join(packageRoot, "package.json")).resolve("@bufbuild/buf/package.json");
    const platform = createRequire(buf).resolve(`@bufbuild/buf-${process.platform}-${process.arch}/package.json`);
    const bin = join(dirname(platform), "bin", process.platform === "win32" ? "buf.exe" : "buf");
    return isExecutable(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
