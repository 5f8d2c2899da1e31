// A stand-in for `criu swrk 3` that misbehaves in one chosen way (argv[2]); started by fake-criu.ts.
// It reads the request from fd 3 and answers with hand-made criu_resp bytes (no protobuf library).
const { SeqpacketSocket } = require(process.env.FAKE_CRIU_SOCKET_MODULE);
const mode = process.argv[2];
const fd = Number(process.argv[4]);

// criu_resp: type (1, varint), success (2, varint), then extra bytes.
const resp = (type, success, extra = []) => Buffer.from([0x08, type, 0x10, success ? 1 : 0, ...extra]);
const notify = (script) => resp(6, true, [0x2a, script.length + 2, 0x0a, script.length, ...Buffer.from(script)]);

if (mode === "exit-3") {
  process.stderr.write("fake criu: something is wrong\n");
  process.exit(3);
}
if (mode === "signal") process.kill(process.pid, "SIGKILL");
if (mode === "close") process.exit(0);

const socket = new SeqpacketSocket(fd);
let step = 0;
socket.on("data", (request) => {
  const type = request[1];
  step += 1;
  if (mode === "hang") return;
  if (mode === "wrong-type") socket.write(resp(type === 10 ? 3 : 10, true));
  else if (mode === "garbage") socket.write(Buffer.from([0xff, 0xff, 0xff]));
  else if (mode === "fail") socket.write(resp(type, false, [0x38, 2, 0x4a, 4, ...Buffer.from("boom")]));
  else if (mode === "notify") {
    // NOTIFY pre-dump, then the answer: success only when the client said the hook succeeded.
    if (step === 1) socket.write(notify("pre-dump"));
    else socket.write(resp(1, request[3] === 1));
  }
  if (mode !== "notify" || step === 2) setImmediate(() => process.exit(0));
});
