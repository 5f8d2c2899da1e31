import { serveExplorer } from "./explorer-server";

/** `crit explore [DUMP] [--diff B] [--port N]`: serve the explorer until SIGINT or SIGTERM. */
export async function exploreCommand(dump: string | undefined, port: string | undefined, diff?: string): Promise<void> {
  const portNumber = port === undefined ? 0 : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    throw new Error(`explore: --port ${JSON.stringify(port)}: expected a port number (0-65535)`);
  }
  const server = await serveExplorer(dump, portNumber, diff);
  // The handlers go in before the URL is printed: whoever reads the URL may signal at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void server.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  const what = dump === undefined ? "the explorer" : diff === undefined ? dump : `${dump} compared with ${diff}`;
  process.stdout.write(`crit explore: ${what} at ${server.url} (127.0.0.1 only; Ctrl-C stops)\n`);
  await stopped;
}
