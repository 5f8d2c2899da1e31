#!/usr/bin/env python3
"""Print a first draft of proto/ from a compiled CRIU descriptor set.

Used once to start proto/; the files were then edited by hand (comments). Kept so the
draft can be compared with the hand-edited files when a new CRIU release appears.

    npx buf build ../shared/criu-schema/criu-v4.2.binpb -o /tmp/v42.json
    python3 scripts/draft-proto.py /tmp/v42.json ../shared/spec OUTDIR

The declarations come from the descriptor set; the "since" notes come from the release
history in proto-evolution.json, and the "image" notes from magic-table.json.
"""
import json
import os
import sys

TYPES = {
    "TYPE_UINT32": "uint32", "TYPE_UINT64": "uint64", "TYPE_INT32": "int32",
    "TYPE_INT64": "int64", "TYPE_SINT32": "sint32", "TYPE_SINT64": "sint64",
    "TYPE_FIXED32": "fixed32", "TYPE_FIXED64": "fixed64", "TYPE_SFIXED32": "sfixed32",
    "TYPE_SFIXED64": "sfixed64", "TYPE_BOOL": "bool", "TYPE_STRING": "string",
    "TYPE_BYTES": "bytes", "TYPE_FLOAT": "float", "TYPE_DOUBLE": "double",
}
LABELS = {"LABEL_REQUIRED": "required", "LABEL_OPTIONAL": "optional", "LABEL_REPEATED": "repeated"}
BASELINE = "v2.7"  # fields older than the first shipped baseline get no "since" note


def load_history(spec_dir):
    evo = json.load(open(os.path.join(spec_dir, "proto-evolution.json")))
    order = {r: i for i, r in enumerate(evo["releases"])}
    msg_since, field_since, value_since = {}, {}, {}
    for ch in evo["changes"]:
        rev = ch["rev"]
        if ch["kind"] == "message_added":
            msg_since.setdefault(ch["message"], rev)
        elif ch["kind"] == "field_added":
            field_since.setdefault((ch["message"], ch["num"]), rev)
        elif ch["kind"] == "enum_value_added":
            value_since.setdefault((ch["enum"], ch["value"]), rev)
    return order, msg_since, field_since, value_since


def load_images(spec_dir):
    table = json.load(open(os.path.join(spec_dir, "magic-table.json")))
    images = {}
    for row in table:
        msg = row.get("message")
        if not msg or not row.get("file") or row.get("alias_of"):
            continue
        first = msg.split(" ")[0]
        images.setdefault(first, []).append(f"{row['file']} ({row['name']})")
    return images


def criu_opts(opts):
    parts = []
    for key, val in opts.get("[criu]", {}).items():
        if isinstance(val, bool):
            parts.append(f"(criu).{key} = {'true' if val else 'false'}")
        else:
            parts.append(f'(criu).{key} = "{val}"')
    return parts


def field_line(f):
    label = LABELS[f["label"]]
    typ = TYPES.get(f["type"]) or f["typeName"].lstrip(".")
    opts = []
    if "defaultValue" in f:
        dv = f["defaultValue"]
        opts.append(f'default = "{dv}"' if f["type"] in ("TYPE_STRING", "TYPE_BYTES") else f"default = {dv}")
    if f.get("options", {}).get("packed"):
        opts.append("packed = true")
    opts += criu_opts(f.get("options", {}))
    tail = f" [{', '.join(opts)}]" if opts else ""
    return f"{label} {typ} {f['name']} = {f['number']}{tail};"


class Printer:
    def __init__(self, history, images):
        self.order, self.msg_since, self.field_since, self.value_since = history
        self.images = images

    def newer(self, rev):
        return rev and self.order.get(rev, 0) > self.order[BASELINE]

    def enum(self, e, ind):
        out = [f"{ind}enum {e['name']} {{"]
        for v in e["value"]:
            since = self.value_since.get((e["name"], v["name"]))
            note = f"  // since {since}" if self.newer(since) else ""
            out.append(f"{ind}\t{v['name']} = {v['number']};{note}")
        out.append(f"{ind}}}")
        return out

    def message(self, m, ind):
        out = []
        since = self.msg_since.get(m["name"])
        if m["name"] in self.images:
            out.append(f"{ind}// Entries of {', '.join(self.images[m['name']])}.")
        if self.newer(since):
            out.append(f"{ind}// Since CRIU {since}.")
        out.append(f"{ind}message {m['name']} {{")
        for n in m.get("nestedType", []):
            out += self.message(n, ind + "\t")
        for e in m.get("enumType", []):
            out += self.enum(e, ind + "\t")
        for f in m.get("field", []):
            fs = self.field_since.get((m["name"], f["number"]))
            note = f"  // since {fs}" if self.newer(fs) else ""
            out.append(f"{ind}\t{field_line(f)}{note}")
        out.append(f"{ind}}}")
        return out

    def file(self, fd):
        out = ['syntax = "proto2";', ""]
        for dep in fd.get("dependency", []):
            out.append(f'import "{dep}";')
        if fd.get("dependency"):
            out.append("")
        for e in fd.get("enumType", []):
            out += self.enum(e, "") + [""]
        for m in fd.get("messageType", []):
            out += self.message(m, "") + [""]
        for x in fd.get("extension", []):
            out.append(f"extend {x['extendee'].lstrip('.')} {{")
            out.append(f"\t{field_line(x)}")
            out.append("}")
            out.append("")
        return "\n".join(out).rstrip() + "\n"


def main():
    src, spec_dir, out_dir = sys.argv[1:4]
    fds = json.load(open(src))
    printer = Printer(load_history(spec_dir), load_images(spec_dir))
    os.makedirs(out_dir, exist_ok=True)
    for fd in fds["file"]:
        if fd["name"].startswith("google/"):
            continue
        with open(os.path.join(out_dir, fd["name"]), "w") as fh:
            fh.write(printer.file(fd))


if __name__ == "__main__":
    main()
