import { useEffect, useState } from "preact/hooks";
import type { WorkerClient } from "../client";
import type { NetNamespace } from "../../index";
import type { Reply } from "../protocol";

/** Mounts per mount namespace, and network namespaces with their devices, addresses and routes. */
export function NamespacesView({ worker }: { worker: WorkerClient }) {
  const [ns, setNs] = useState<Reply<{ op: "namespaces" }> | { error: string } | undefined>();
  useEffect(() => {
    worker.ask({ op: "namespaces" }).then(setNs, (err: Error) => setNs({ error: err.message }));
  }, [worker]);
  if (!ns) return <p aria-live="polite">Reading the namespaces…</p>;
  if ("error" in ns) return <p class="error">{ns.error}</p>;
  return (
    <section aria-label="Mounts and networks">
      {ns.mountNamespaces.map((m) => (
        <div key={m.id}>
          <h3>Mount namespace {m.id}</h3>
          <table class="grid" data-testid="mounts">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Parent</th>
                <th scope="col">Mount point</th>
                <th scope="col">Type</th>
                <th scope="col">Source</th>
                <th scope="col">Root</th>
                <th scope="col">Options</th>
                <th scope="col">External</th>
              </tr>
            </thead>
            <tbody>
              {m.mounts.map((mt) => (
                <tr key={mt.mntId}>
                  <td class="num">{mt.mntId}</td>
                  <td class="num">{mt.parentMntId}</td>
                  <td class="mono">{mt.mountpoint}</td>
                  <td>{mt.fstype}</td>
                  <td class="mono">{mt.source}</td>
                  <td class="mono">{mt.root}</td>
                  <td class="mono">{mt.options}</td>
                  <td>{mt.external ? (mt.extKey ?? "yes") : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {ns.netNamespaces.map((n) => (
        <div key={n.id}>
          <h3>
            Network namespace {n.id}
            {n.extKey ? ` (external: ${n.extKey})` : ""}
          </h3>
          {n.nsids.length > 0 && <p class="muted">nsids: {n.nsids.map((x) => `${x.targetNsId} → ${x.value}`).join(", ")}</p>}
          <table class="grid" data-testid="devices">
            <thead>
              <tr>
                <th scope="col">Index</th>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">MTU</th>
                <th scope="col">MAC</th>
                <th scope="col">Link</th>
              </tr>
            </thead>
            <tbody>
              {n.devices.map((d) => (
                <tr key={d.ifindex}>
                  <td class="num">{d.ifindex}</td>
                  <td>{d.name}</td>
                  <td>
                    {d.type}
                    {d.macvlanMode !== undefined ? ` (macvlan mode ${d.macvlanMode})` : ""}
                  </td>
                  <td class="num">{d.mtu}</td>
                  <td class="mono">{d.mac}</td>
                  <td>{d.peerIfindex ? `peer ${d.peerIfindex}${d.peerNsid ? ` in nsid ${d.peerNsid}` : ""}` : d.master ? `master ${d.master}` : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <NetAddresses ns={n} />
        </div>
      ))}
    </section>
  );
}

/** Addresses (ifaddr-N.img) and routes (route-N.img, route6-N.img) of a network namespace. */
function NetAddresses({ ns }: { ns: NetNamespace }) {
  return (
    <>
      {ns.addresses.length > 0 && (
        <table class="grid" data-testid="addresses">
          <thead>
            <tr><th scope="col">Device</th><th scope="col">Address</th><th scope="col">Scope</th><th scope="col">Flags</th></tr>
          </thead>
          <tbody>
            {ns.addresses.map((a, i) => (
              <tr key={i}>
                <td>{a.device ?? `if${a.ifindex}`}</td>
                <td class="mono">{`${a.address}/${a.prefixLength}${a.peer ? ` peer ${a.peer}` : ""}`}</td>
                <td>{a.scope}</td>
                <td>{a.flags.join(" ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ns.routes.length > 0 && (
        <table class="grid" data-testid="routes">
          <thead>
            <tr><th scope="col">Destination</th><th scope="col">Gateway</th><th scope="col">Device</th><th scope="col">Source</th><th scope="col">Table</th><th scope="col">Protocol</th><th scope="col">Metric</th></tr>
          </thead>
          <tbody>
            {ns.routes.map((r, i) => (
              <tr key={i}>
                <td class="mono">{r.destination}</td>
                <td class="mono">{r.gateway ?? ""}</td>
                <td>{r.device ?? (r.ifindex === undefined ? "" : `if${r.ifindex}`)}</td>
                <td class="mono">{r.source ?? ""}</td>
                <td>{r.table}</td>
                <td>{r.protocol}</td>
                <td class="num">{r.metric ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
