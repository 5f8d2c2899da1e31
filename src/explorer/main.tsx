// The checkpoint explorer: a page that opens a CRIU checkpoint on the user's own machine. Nothing
// is uploaded: the files are read in a worker, straight from the disk or from `crit explore`.

import { render } from "preact";
import { App } from "./app";
import { startWorker } from "./client";

const worker = startWorker(new URL("./worker.js", import.meta.url));
render(<App worker={worker} />, document.getElementById("app")!);
