import type { Case } from "./rules.test";

// Cases for the rules on removals judged by use, oneofs, maps, extensions, services and proto3
// presence: each old → new and swapped, as in rules.test.ts.

const m = (fields: string, extra = "") => `${extra}\nmessage M { ${fields} }`;
const P3 = 'syntax = "proto3";';
const svc = (method: string, extra = "") => `message Req { optional int32 a = 1; } message Res { optional int32 b = 1; } ${extra}\nservice S { ${method} }`;

export const MORE_CASES: Case[] = [
  {
    name: "field removed with its number and name reserved",
    old: m("optional int32 a = 1; optional int32 b = 2;"),
    new: m("optional int32 a = 1; reserved 2; reserved \"b\";"),
    // The number is reserved: the wire keeps the value as unknown; only JSON loses the key.
    expect: { rule: "FIELD_REMOVED", path: "M.b", severity: "json", backward: { "protobuf-c": "unknown", upb: "json", "protobuf-es": "json" } },
    reverse: { rule: "FIELD_ADDED", path: "M.b", severity: "info" },
  },
  {
    name: "field name moved to another number with its type, another field on its old number",
    old: m("map<string, string> labels = 4;"),
    new: m("map<string, string> annotations = 4; map<string, string> labels = 5;"),
    expect: { rule: "FIELD_NAME_REUSED", path: "M.labels", severity: "breaking", backward: { "protobuf-c": "value", upb: "value" }, forward: { "protobuf-es": "value" } },
    reverse: { rule: "FIELD_REMOVED", path: "M.labels", severity: "breaking" },
  },
  {
    name: "field moved into a oneof with a field it could be set with",
    old: m("optional int32 a = 1; optional string b = 2;"),
    new: m("oneof v { int32 a = 1; string b = 2; }"),
    expect: { rule: "FIELD_ONEOF_JOINED", path: "M.a", severity: "breaking", backward: { upb: "loss", "protobuf-es": "loss" }, forward: { upb: "none" } },
    reverse: { rule: "FIELD_ONEOF_LEFT", path: "M.a", severity: "breaking", forward: { "protobuf-c": "loss" }, backward: { upb: "none" } },
  },
  {
    name: "field moved into a new oneof with a new member only",
    old: m("optional double a = 1;"),
    new: m("oneof v { double a = 1; int64 c = 3; }"),
    expect: { rule: "FIELD_ONEOF_JOINED", path: "M.a", severity: "info" },
    reverse: { rule: "FIELD_ONEOF_LEFT", path: "M.a", severity: "info" },
  },
  {
    name: "map key type changed",
    old: m("map<int64, string> a = 1;"),
    new: m("map<int32, string> a = 1;"),
    expect: { rule: "MAP_KEY_TYPE_CHANGED", path: "M.a", severity: "breaking", backward: { upb: "value" } },
    reverse: { rule: "MAP_KEY_TYPE_CHANGED", path: "M.a", severity: "breaking", forward: { upb: "value" } },
  },
  {
    name: "map value type changed",
    old: m("map<string, string> a = 1;"),
    new: m("map<string, int64> a = 1;"),
    expect: { rule: "MAP_VALUE_TYPE_CHANGED", path: "M.a", severity: "breaking", backward: { "protobuf-c": "error", upb: "loss" } },
    reverse: { rule: "MAP_VALUE_TYPE_CHANGED", path: "M.a", severity: "breaking", forward: { "protobuf-c": "error" } },
  },
  {
    name: "extension type changed",
    old: m("optional int32 a = 1; extensions 100 to 200;", "extend M { optional int64 x = 100; }"),
    new: m("optional int32 a = 1; extensions 100 to 200;", "extend M { optional string x = 100; }"),
    expect: { rule: "EXTENSION_CHANGED", path: "x", severity: "breaking", backward: { "protobuf-c": "error", upb: "loss" } },
    reverse: { rule: "EXTENSION_CHANGED", path: "x", severity: "breaking", forward: { "protobuf-c": "error" } },
  },
  {
    name: "extension removed",
    old: m("optional int32 a = 1; extensions 100 to 200;", "extend M { optional int64 x = 100; }"),
    new: m("optional int32 a = 1; extensions 100 to 200;"),
    expect: { rule: "EXTENSION_REMOVED", path: "x", severity: "json", backward: { "protobuf-c": "unknown", "protobuf-es": "json" } },
    reverse: { rule: "EXTENSION_ADDED", path: "x", severity: "info", forward: { upb: "unknown" } },
  },
  {
    name: "method removed",
    old: svc("rpc Get(Req) returns (Res); rpc Put(Req) returns (Res);"),
    new: svc("rpc Get(Req) returns (Res);"),
    expect: { rule: "METHOD_REMOVED", path: "S.Put", severity: "breaking", backward: { "protobuf-c": "error" } },
    reverse: { rule: "METHOD_ADDED", path: "S.Put", severity: "info" },
  },
  {
    name: "service removed",
    old: svc("rpc Get(Req) returns (Res);", "service T { rpc Get(Req) returns (Res); }"),
    new: svc("rpc Get(Req) returns (Res);"),
    expect: { rule: "SERVICE_REMOVED", path: "T", severity: "breaking", backward: { upb: "error" } },
    reverse: { rule: "SERVICE_ADDED", path: "T", severity: "info" },
  },
  {
    name: "method request type changed",
    old: svc("rpc Get(Req) returns (Res);"),
    new: svc("rpc Get(Req2) returns (Res);", "message Req2 { optional string a = 1; }"),
    expect: { rule: "METHOD_REQUEST_TYPE_CHANGED", path: "S.Get", severity: "breaking", backward: { "protobuf-c": "error" } },
    reverse: { rule: "METHOD_REQUEST_TYPE_CHANGED", path: "S.Get", severity: "breaking", forward: { "protobuf-c": "error" } },
  },
  {
    name: "method response type changed",
    old: svc("rpc Get(Req) returns (Res);"),
    new: svc("rpc Get(Req) returns (Res2);", "message Res2 { optional sint32 b = 1; }"),
    expect: { rule: "METHOD_RESPONSE_TYPE_CHANGED", path: "S.Get", severity: "breaking", forward: { upb: "value" } },
    reverse: { rule: "METHOD_RESPONSE_TYPE_CHANGED", path: "S.Get", severity: "breaking", backward: { upb: "value" } },
  },
  {
    name: "method response becomes streaming",
    old: svc("rpc Get(Req) returns (Res);"),
    new: svc("rpc Get(Req) returns (stream Res);"),
    expect: { rule: "METHOD_STREAMING_CHANGED", path: "S.Get", severity: "breaking", forward: { "protobuf-es": "error" } },
    reverse: { rule: "METHOD_STREAMING_CHANGED", path: "S.Get", severity: "breaking", backward: { "protobuf-es": "error" } },
  },
  {
    // Two new types of the old one's shape: the field that still refers to it picks one.
    name: "message renamed while a copy of it is added, paired through the field that uses it",
    old: m("optional A a = 1;", "message A { optional int32 x = 1; }"),
    new: m("optional B a = 1;", "message B { optional int32 x = 1; } message C { optional int32 x = 1; }"),
    expect: { rule: "MESSAGE_RENAMED", path: "B", severity: "info", message: /^message A renamed B: same fields/ },
    reverse: { rule: "MESSAGE_RENAMED", path: "A", severity: "info" },
  },
  {
    name: "message renamed and extended: a rename, its new field added",
    old: m("optional A a = 1;", "message A { optional int32 x = 1; }"),
    new: m("optional B a = 1;", "message B { optional int32 x = 1; optional int32 y = 2; }"),
    expect: { rule: "MESSAGE_RENAMED", path: "B", severity: "info", message: /^message A renamed B: paired through what refers to it/ },
    reverse: { rule: "MESSAGE_RENAMED", path: "A", severity: "info" },
  },
  {
    name: "proto3 field gains explicit presence",
    old: `${P3}\nmessage M { double sum = 1; }`,
    new: `${P3}\nmessage M { optional double sum = 1; }`,
    expect: { rule: "FIELD_PRESENCE_CHANGED", path: "M.sum", severity: "info" },
    reverse: { rule: "FIELD_PRESENCE_CHANGED", path: "M.sum", severity: "info" },
  },
];
