// Addresses and routes of network namespaces, from the raw iproute2 images (ifaddr-, route-,
// route6-N.img). The expected values are what `ip addr showdump` / `ip route showdump` (iproute2)
// print for the same files, with the devices named from netdev-N.img instead of the host's.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ImageError } from "../../src/image/errors";
import { openCheckpoint } from "../../src/checkpoint/model/open";
import { ipText, netlinkAttributes, netlinkMessages } from "../../src/checkpoint/model/netlink-dump";
import { netAddresses } from "../../src/checkpoint/model/net-addresses";
import { corpusDir, readBytes } from "../support/corpus";
import { sourceFromDirs } from "../support/source-dir";

describe("ns-macvlan", async () => {
  const cp = await openCheckpoint(sourceFromDirs([[corpusDir + "ns-macvlan/images", ""]]));
  const ns = cp.netNamespaces.find((n) => n.id === 9)!;

  it("addresses as ip addr showdump prints them, devices named", () => {
    expect(cp.warnings).toEqual([]);
    expect(ns.addresses.map((a) => `${a.device} ${a.family} ${a.address}/${a.prefixLength} scope ${a.scope} ${a.flags.join(",")}`)).toEqual([
      "lo inet 127.0.0.1/8 scope host permanent",
      "vext1 inet 10.56.0.2/24 scope global permanent",
      "mvlan0 inet 10.55.0.2/24 scope global permanent",
      "lo inet6 ::1/128 scope host permanent",
      "vin1 inet6 fe80::1423:a4ff:fedb:582f/64 scope link tentative,permanent",
      "mvlan0 inet6 fd55::2/64 scope global nodad,permanent",
      "mvlan0 inet6 fe80::8c20:ebff:fe12:34c1/64 scope link tentative,permanent",
      "mvlan1 inet6 fe80::a85e:46ff:fef4:a68f/64 scope link tentative,permanent",
      "vin0 inet6 fe80::1c7f:a9ff:fe3b:1849/64 scope link tentative,permanent",
    ]);
    expect(ns.addresses[0]!.label).toBe("lo");
  });

  it("routes of route-9.img and route6-9.img", () => {
    expect(ns.routes.map((r) => [r.destination, r.device, r.protocol, r.scope, r.source ?? "", r.metric ?? ""])).toEqual([
      ["10.55.0.0/24", "mvlan0", "kernel", "link", "10.55.0.2", ""],
      ["10.56.0.0/24", "vext1", "kernel", "link", "10.56.0.2", ""],
      ["fd55::/64", "mvlan0", "kernel", "global", "", 256],
      ["fe80::/64", "mvlan0", "kernel", "global", "", 256],
      ["fe80::/64", "mvlan1", "kernel", "global", "", 256],
      ["fe80::/64", "vin1", "kernel", "global", "", 256],
      ["fe80::/64", "vin0", "kernel", "global", "", 256],
    ]);
    expect(ns.routes.every((r) => r.table === "main" && r.type === "unicast")).toBe(true);
  });

  it("a damaged ifaddr image is a warning naming it, not a failure", async () => {
    const bytes = readBytes(corpusDir + "ns-macvlan/images/ifaddr-9.img").slice(0, 100);
    const damaged = sourceFromDirs([[corpusDir + "ns-macvlan/images", ""]]);
    const files = new Map<string, Uint8Array>();
    for (const m of await damaged.members()) files.set(m.name, m.name === "ifaddr-9.img" ? bytes : (await damaged.readRanges([{ name: m.name, offset: 0, length: m.size }]))[0]!);
    const { sourceFromFiles } = await import("../../src/source/files");
    const cp2 = await openCheckpoint(sourceFromFiles(files, "damaged"));
    expect(cp2.warnings).toEqual([{ member: "ifaddr-9.img", message: expect.stringMatching(/ifaddr-9\.img.*offset 80.*length-too-large/s) }]);
    expect(cp2.netNamespaces[0]!.addresses).toEqual([]);
  });
});

it("ns-netns-nested: each namespace its own addresses", async () => {
  const cp = await openCheckpoint(sourceFromDirs([[corpusDir + "ns-netns-nested/images", ""]]));
  expect(cp.netNamespaces.map((n) => n.addresses.filter((a) => a.family === "inet").map((a) => `${a.device} ${a.address}`))).toEqual([
    ["lo 127.0.0.1", "vab0 10.60.1.1"],
    ["lo 127.0.0.1", "vab1 10.60.1.2"],
    ["lo 127.0.0.1"],
  ]);
});

/** An iproute2 dump built from messages (type, body), for the parser's properties. */
function dump(magic: number, messages: { type: number; body: Uint8Array }[]): Uint8Array {
  const parts: number[] = [];
  const push32 = (v: number) => parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
  push32(magic);
  for (const m of messages) {
    push32(16 + m.body.length);
    parts.push(m.type & 255, m.type >> 8, 2, 0);
    push32(1);
    push32(2);
    parts.push(...m.body);
    while (parts.length % 4) parts.push(0);
  }
  return Uint8Array.from(parts);
}

describe("iproute2 dump parser", () => {
  const message = fc.record({ type: fc.integer({ min: 0, max: 0xffff }), body: fc.uint8Array({ maxLength: 64 }) });

  it("gives back every message, whatever their number and sizes", () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 12 }), (messages) => {
        const parsed = netlinkMessages(dump(0x47361222, messages), "x.img");
        expect(parsed.map((m) => [m.type, [...m.body]])).toEqual(messages.map((m) => [m.type, [...m.body]]));
      }),
    );
  });

  it("any cut or flipped byte gives messages or an ImageError naming the file, never anything else", () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 6 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (messages, at, value, cut) => {
        const whole = dump(0x45311224, messages);
        const i = at % whole.length;
        const bytes = cut ? whole.slice(0, i) : whole.map((b, j) => (j === i ? value : b));
        try {
          for (const m of netlinkMessages(bytes, "route-1.img")) {
            netlinkAttributes(m.body, 12);
            netAddresses(bytes, "route-1.img", () => undefined);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(ImageError);
          expect((err as ImageError).message).toContain("route-1.img");
        }
      }),
    );
  });

  it("refuses a file without an iproute2 magic, saying which it expected", () => {
    expect(() => netlinkMessages(Uint8Array.of(1, 2, 3, 4, 5), "ifaddr-1.img")).toThrow(/ifaddr-1\.img.*0x47361222 \(ip addr save\)/);
    expect(netlinkMessages(new Uint8Array(0), "ifaddr-1.img")).toEqual([]);
  });

  it("writes IPv6 addresses in their short form", () => {
    const v6 = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));
    expect(ipText(v6("00000000000000000000000000000001"))).toBe("::1");
    expect(ipText(v6("fe800000000000001423a4fffedb582f"))).toBe("fe80::1423:a4ff:fedb:582f");
    expect(ipText(v6("20010db8000000010000000000000001"))).toBe("2001:db8:0:1::1");
    expect(ipText(v6("20010db8000100020003000400050006"))).toBe("2001:db8:1:2:3:4:5:6");
    expect(ipText(Uint8Array.of(10, 0, 0, 1))).toBe("10.0.0.1");
  });
});
