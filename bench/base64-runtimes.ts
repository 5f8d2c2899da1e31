// node --import tsx bench/base64-runtimes.ts: the payload base64 of src/json/base64.ts against
// the runtime's own (bench/base64-kernels.ts), in Node (Buffer) and in Chromium
// (Uint8Array.prototype.toBase64 / setFromBase64, where it has them; skipped without chromium).
// Prints MB/s of payload bytes; nothing is written.

import { build } from "esbuild";
import { chromiumPath, launch } from "../test/explorer/browser";
import { measureKernels } from "./base64-kernels";
import { repoRoot } from "./paths";

const node = measureKernels({
  name: `Node ${process.version} Buffer`,
  encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64"),
  decodeInto: (text, out) => Buffer.from(out.buffer, out.byteOffset, out.length).write(text, "base64"),
  textInto: (text, out) => void Buffer.from(out.buffer, out.byteOffset, out.length).write(text, "latin1"),
  bytesToText: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1"),
});
console.log(JSON.stringify(node, null, 2));

const browserPath = chromiumPath();
if (!browserPath) console.log("chromium: skipped (no chromium; apt-get install chromium, or set CHROMIUM_PATH)");
else {
  const bundle = await build({
    stdin: {
      contents: `import { measureKernels } from "./bench/base64-kernels";
        const u8 = Uint8Array.prototype;
        const latin1 = new TextDecoder("latin1");
        const encoder = new TextEncoder();
        globalThis.measure = () => measureKernels(typeof u8.toBase64 === "function" ? {
          name: "Uint8Array toBase64/setFromBase64, TextEncoder/TextDecoder",
          encode: (bytes) => bytes.toBase64(),
          decodeInto: (text, out) => out.setFromBase64(text).written,
          textInto: (text, out) => void encoder.encodeInto(text, out),
          bytesToText: (bytes) => latin1.decode(bytes),
        } : undefined);`,
      resolveDir: repoRoot,
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    write: false,
    logLevel: "warning",
  });
  const open = await launch(browserPath);
  try {
    const page = await open.browser.newPage();
    await page.setContent("<html><body></body></html>");
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const figures = await page.evaluate(() => (globalThis as unknown as { measure: () => unknown }).measure());
    console.log(JSON.stringify({ chromium: open.browser.version(), ...(figures as object) }, null, 2));
  } finally {
    await open.close();
  }
}
