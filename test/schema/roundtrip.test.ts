import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  criu_req_type,
  criu_reqSchema,
  criu_respSchema,
  inventory_entrySchema,
  lsmtype,
  type criu_req,
} from "../../src/index";
import { readFixture } from "../support/fixtures";

describe("typed round trips through toBinary/fromBinary", () => {
  it("keeps a criu_req with nested criu_opts", () => {
    const req: criu_req = create(criu_reqSchema, {
      type: criu_req_type.DUMP,
      keepOpen: true,
      opts: {
        imagesDirFd: 7,
        pid: 4242,
        leaveRunning: true,
        tcpEstablished: true,
        external: ["mnt[/data]:data", "dev[8:1]:disk"],
        inheritFd: [{ key: "pipe:[12345]", fd: 3 }],
        veths: [{ ifIn: "eth0", ifOut: "veth1234" }],
        ghostLimit: 4 << 20,
        logLevel: 4,
      },
    });
    const bytes = toBinary(criu_reqSchema, req);
    const back = fromBinary(criu_reqSchema, bytes);
    expect(equals(criu_reqSchema, back, req)).toBe(true);
    expect(back.opts?.inheritFd[0]?.key).toBe("pipe:[12345]");
    expect(back.opts?.veths[0]?.ifOut).toBe("veth1234");
    expect(toBinary(criu_reqSchema, back)).toEqual(bytes);
    // Unset optional fields read back as the schema's defaults.
    expect(create(criu_reqSchema, { type: criu_req_type.DUMP }).opts).toBeUndefined();
    expect(back.opts?.cpuCap).toBe(4294967295);
  });

  it("keeps a criu_resp", () => {
    const resp = create(criu_respSchema, {
      type: criu_req_type.DUMP,
      success: false,
      crErrno: 13,
      crErrmsg: "Permission denied",
      dump: { restored: false },
    });
    const bytes = toBinary(criu_respSchema, resp);
    expect(equals(criu_respSchema, fromBinary(criu_respSchema, bytes), resp)).toBe(true);
  });

  it("reads the entry of a real inventory.img and writes the same bytes", () => {
    const file = readFixture("corpus/proc-minimal/images/inventory.img");
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    expect(view.getUint32(0, true)).toBe(0x58313116); // INVENTORY, no common word before it
    const size = view.getUint32(4, true);
    const body = file.subarray(8, 8 + size);
    expect(8 + size).toBe(file.length);
    const inv = fromBinary(inventory_entrySchema, body);
    // Values from crit 4.2's decode of the same file (crit/inventory.img.json).
    expect(inv.imgVersion).toBe(2);
    expect(inv.fdinfoPerId).toBe(true);
    expect(inv.rootIds?.timeNsId).toBe(5);
    expect(inv.lsmtype).toBe(lsmtype.NO_LSM);
    expect(inv.dumpCriuRunId).toBe("70e1c87d-5d47-42e9-ba7e-92f2786af8ef");
    expect(inv.pluginsEntry).toBeDefined();
    expect(toBinary(inventory_entrySchema, inv)).toEqual(body);
  });
});
