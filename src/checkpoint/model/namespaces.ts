// Mount namespaces (mountpoints-N.img) and network namespaces (netns-N.img, netdev-N.img,
// ifaddr-N.img, route-N.img, route6-N.img) of the dump, by namespace id; the ids are those of ids-PID.img, so tasks can be matched to them.

import { fstypeSchema, type fstype } from "../../gen/mnt_pb";
import { nd_typeSchema } from "../../gen/netdev_pb";
import { errorText, type CheckpointWarning } from "./errors";
import type { ImageSet } from "./image-set";
import { netAddresses, netRoutes } from "./net-addresses";
import type { Mount, MountNamespace, NetDevice, NetNamespace } from "./types";

const FSTYPE_NAMES: Record<string, string> = { OVERLAYFS: "overlay", UNSUPPORTED: "", AUTO: "" };

export function mountNamespaces(images: ImageSet): MountNamespace[] {
  return images
    .names(/^mountpoints-\d+\.img$/)
    .map((name) => ({ id: Number(/\d+/.exec(name)![0]), entries: images.entries(name, "MNTS") }))
    .filter((ns) => ns.entries !== undefined)
    .map(({ id, entries }) => ({
      id,
      mounts: entries!
        .map(
          (m): Mount => ({
            mntId: m.mntId,
            parentMntId: m.parentMntId,
            mountpoint: m.mountpoint,
            root: m.root,
            source: m.source,
            fstype: fstypeName(m.fstype, m.fsname),
            options: m.options,
            sharedId: m.sharedId,
            masterId: m.masterId,
            external: m.extMount,
            extKey: m.extKey || undefined,
          }),
        )
        .sort((a, b) => a.mntId - b.mntId),
    }))
    .sort((a, b) => a.id - b.id);
}

function fstypeName(type: number, fsname: string): string {
  const name = fstypeSchema.value[type as fstype]?.name;
  if (name === undefined) return fsname || String(type);
  const mapped = FSTYPE_NAMES[name];
  if (mapped !== undefined) return fsname || mapped || name.toLowerCase();
  return name.toLowerCase();
}

/** A raw network image decoded by `read`; [] when absent, and a warning when damaged. */
function rawImage<T>(images: ImageSet, name: string, warnings: CheckpointWarning[], read: (bytes: Uint8Array, file: string) => T[]): T[] {
  const bytes = images.raw(name);
  if (!bytes) return [];
  try {
    return read(bytes, name);
  } catch (err) {
    warnings.push({ member: images.dir + name, message: errorText(err) });
    return [];
  }
}

export function netNamespaces(images: ImageSet, warnings: CheckpointWarning[]): NetNamespace[] {
  return images
    .names(/^netns-\d+\.img$/)
    .map((name) => {
      const id = Number(/\d+/.exec(name)![0]);
      const ns = images.first(name, "NETNS");
      const devices = (images.entries(`netdev-${id}.img`, "NETDEV") ?? [])
        .map(
          (d): NetDevice => ({
            ifindex: d.ifindex,
            name: d.name,
            type: nd_typeSchema.value[d.type]?.name ?? String(d.type),
            mtu: d.mtu,
            flags: d.flags,
            mac: [...d.address].map((b) => b.toString(16).padStart(2, "0")).join(":"),
            macvlanMode: d.macvlan?.mode,
            peerIfindex: d.peerIfindex,
            peerNsid: d.peerNsid,
            master: d.master,
          }),
        )
        .sort((a, b) => a.ifindex - b.ifindex);
      const byIndex = new Map(devices.map((d) => [d.ifindex, d.name]));
      const deviceName = (ifindex: number) => byIndex.get(ifindex);
      return {
        id,
        extKey: ns?.extKey || undefined,
        devices,
        addresses: rawImage(images, `ifaddr-${id}.img`, warnings, (b, f) => netAddresses(b, f, deviceName)),
        routes: [`route-${id}.img`, `route6-${id}.img`].flatMap((f) => rawImage(images, f, warnings, (b, file) => netRoutes(b, file, deviceName))),
        hasAddressImage: images.has(`ifaddr-${id}.img`),
        nsids: (ns?.nsids ?? []).map((n) => ({ targetNsId: n.targetNsId, value: n.netnsidValue })),
      };
    })
    .sort((a, b) => a.id - b.id);
}
