import { create, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { criu_req_type, criu_respSchema } from "../../../src/gen/rpc_pb";
import { seqpacketPair } from "../../../src/node/criu/seqpacket";
import { createCriuClient, CriuError, criuVersionAtLeast, criuVersionNumber, parseCriuVersion } from "../../../src/node/index";

describe("fd mode", () => {
  it("a connected seqpacket fd serves one call, then is refused as bad-option", async () => {
    const { local, remoteFd } = await seqpacketPair();
    // this test plays CRIU on the other end of the pair
    local.on("data", () => {
      const resp = create(criu_respSchema, {
        type: criu_req_type.VERSION,
        success: true,
        version: { majorNumber: 4, minorNumber: 2, sublevel: 1, gitid: "v4.2.1-fake" },
      });
      const bytes = toBinary(criu_respSchema, resp);
      local.write(Buffer.from(bytes));
    });
    const client = createCriuClient({ fd: remoteFd });
    expect(client.target).toEqual({ mode: "fd", fd: remoteFd });
    const version = await client.version();
    expect(version).toMatchObject({ majorNumber: 4, minorNumber: 2, sublevel: 1, gitid: "v4.2.1-fake" });
    const again = await client.version().catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CriuError);
    expect((again as CriuError).kind).toBe("bad-option");
    setImmediate(() => local.destroy());
  });
});

describe("CRIU versions", () => {
  it("parse MAJOR.MINOR[.SUBLEVEL] and numbers as go-criu's major*10000 + minor*100 + sublevel", () => {
    expect(parseCriuVersion("4.2")).toBe(40200);
    expect(parseCriuVersion("v3.19.1")).toBe(31901);
    expect(parseCriuVersion(40200)).toBe(40200);
    for (const bad of ["4", "4.x", "", "4.2.1.0"]) expect(() => parseCriuVersion(bad)).toThrow(RangeError);
    expect(() => parseCriuVersion(-1)).toThrow(RangeError);
  });

  it("property: isCriuAtLeast agrees with comparing (major, minor, sublevel) in order", () => {
    const part = fc.integer({ min: 0, max: 99 });
    fc.assert(
      fc.property(fc.tuple(part, part, part), fc.tuple(part, part, part), ([a, b, c], [x, y, z]) => {
        const actual = { $typeName: "criu_version" as const, majorNumber: a, minorNumber: b, sublevel: c, gitid: "", extra: 0, name: "" };
        const lexical = a !== x ? a > x : b !== y ? b > y : c >= z;
        expect(criuVersionAtLeast(actual, `${x}.${y}.${z}`)).toBe(lexical);
        expect(criuVersionNumber(actual)).toBe(parseCriuVersion(`${a}.${b}.${c}`));
      }),
    );
  });
});
