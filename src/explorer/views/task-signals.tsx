import { signalName } from "../../index";
import type { TaskRow } from "../protocol";

const names = (signals: number[]) => (signals.length ? signals.map(signalName).join(", ") : "none");
const limit = (v: number | "unlimited") => (v === "unlimited" ? "unlimited" : String(v));

/** The selected task's resource limits, signal state and timers. */
export function LimitsAndSignals({ task: t }: { task: TaskRow }) {
  const s = t.signals;
  const pending = [...(s?.pending ?? []), ...t.threads.flatMap((th) => th.pending)];
  const threadRows = t.threads.filter((th) => th.blocked.length || th.altStack || th.parentDeathSignal);
  const timers = t.timers;
  const itimers = timers ? ([["ITIMER_REAL", timers.real], ["ITIMER_VIRTUAL", timers.virtual], ["ITIMER_PROF", timers.prof]] as const).filter(([, v]) => v) : [];
  return (
    <div>
      <h3>Limits</h3>
      {t.limits.length ? (
        <table class="grid" data-testid="limits">
          <thead>
            <tr><th scope="col">Resource</th><th scope="col">Soft</th><th scope="col">Hard</th></tr>
          </thead>
          <tbody>
            {t.limits.map((l) => (
              <tr key={l.resource}><th scope="row">{l.name}</th><td>{limit(l.soft)}</td><td>{limit(l.hard)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">Not in the dump.</p>
      )}
      <h3>Signals</h3>
      {s ? (
        <div data-testid="signals">
          <p>Blocked: {names(s.blocked)}</p>
          {threadRows.length > 0 && (
            <table class="grid">
              <thead>
                <tr><th scope="col">Thread</th><th scope="col">Blocked</th><th scope="col">Alternate stack</th><th scope="col">Parent-death signal</th></tr>
              </thead>
              <tbody>
                {threadRows.map((th) => (
                  <tr key={th.tid}>
                    <th scope="row">{th.tid}</th>
                    <td>{names(th.blocked)}</td>
                    <td>{th.altStack ? `${th.altStack.base} (${th.altStack.size} bytes)` : ""}</td>
                    <td>{th.parentDeathSignal ? signalName(th.parentDeathSignal) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h4>Pending ({pending.length})</h4>
          {pending.length > 0 && (
            <table class="grid" data-testid="pending">
              <thead>
                <tr><th scope="col">Signal</th><th scope="col">Queue</th><th scope="col">Code</th><th scope="col">Sender</th><th scope="col">Value</th></tr>
              </thead>
              <tbody>
                {pending.map((p, i) => (
                  <tr key={i}>
                    <th scope="row">{p.name}</th>
                    <td>{p.thread === undefined ? "process" : `thread ${p.thread}`}</td>
                    <td>{p.codeName}</td>
                    <td>{p.senderPid === undefined ? (p.timerId === undefined ? "" : `timer ${p.timerId}`) : `pid ${p.senderPid}, uid ${p.senderUid}`}</td>
                    <td>{p.value ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h4>Handlers ({s.actions.length} not default)</h4>
          {s.actions.length > 0 && (
            <table class="grid" data-testid="handlers">
              <thead>
                <tr><th scope="col">Signal</th><th scope="col">Handler</th><th scope="col">Flags</th><th scope="col">Mask</th></tr>
              </thead>
              <tbody>
                {s.actions.map((a) => (
                  <tr key={a.signo}>
                    <th scope="row">{a.name}</th>
                    <td>{a.handler}</td>
                    <td>{a.flags.join(" ")}</td>
                    <td>{a.mask.length ? names(a.mask) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : (
        <p class="muted">Not in the dump.</p>
      )}
      {timers && (itimers.length > 0 || timers.posix.length > 0) && (
        <>
          <h3>Timers</h3>
          <table class="grid" data-testid="timers">
            <thead>
              <tr><th scope="col">Timer</th><th scope="col">Clock</th><th scope="col">Signal</th><th scope="col">Interval (s)</th><th scope="col">Left (s)</th></tr>
            </thead>
            <tbody>
              {itimers.map(([name, v]) => (
                <tr key={name}><th scope="row">{name}</th><td /><td /><td>{v!.interval}</td><td>{v!.value}</td></tr>
              ))}
              {timers.posix.map((p) => (
                <tr key={`posix-${p.id}`}>
                  <th scope="row">POSIX timer {p.id}</th>
                  <td>{p.clock}</td>
                  <td>{p.notify === "SIGEV_NONE" ? "none" : `${p.signal}${p.thread ? ` to thread ${p.thread}` : ""}`}</td>
                  <td>{p.interval}</td>
                  <td>{p.remaining}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
