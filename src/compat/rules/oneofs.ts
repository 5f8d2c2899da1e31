import type { FieldModel, MessageModel } from "../model";
import type { FieldPair, Report, Rule } from "../rule";
import { NO_EFFECT } from "../verdict";
import { hazard, worded } from "../wording";

// Oneofs: members share one slot, so a reader keeps only the last member it reads. Moving a
// field into or out of a oneof changes nothing on the wire by itself; it matters when two
// fields that one revision lets be set together are members of one oneof in the other.

/** The fields of `message` that share `field`'s oneof (none when it is in no oneof). */
function partners(message: MessageModel, field: FieldModel): FieldModel[] {
  return field.oneof ? message.fields.filter((f) => f !== field && f.oneof === field.oneof) : [];
}

/** Fields both messages have (by number) that `together` lets be set with `field` and `exclusive` does not. */
function clashes(exclusive: MessageModel, exclusiveField: FieldModel, together: MessageModel): FieldModel[] {
  const togetherField = together.byNumber.get(exclusiveField.number);
  if (!togetherField) return [];
  return partners(exclusive, exclusiveField).filter((p) => {
    const other = together.byNumber.get(p.number);
    return other !== undefined && (other.oneof === undefined || other.oneof !== togetherField.oneof);
  });
}

const names = (fs: FieldModel[]) => fs.map((f) => `${f.name} = ${f.number}`).join(", ");

function joined({ old, new: field, oldMessage, newMessage }: FieldPair): Report[] {
  if (!old || !field || !field.oneof || old.oneof === field.oneof) return [];
  const hit = clashes(newMessage, field, oldMessage);
  const what = `field ${field.name} moved ${old.oneof ? `from oneof ${old.oneof} ` : ""}into oneof ${field.oneof}`;
  if (hit.length === 0) return [{ message: `${what}: no field it could be set with before shares the oneof now; the wire is unchanged`, verdicts: NO_EFFECT }];
  return [worded(`${what} with ${names(hit)}, which old data may set along with it`, hazard("backward", "all", "loss", "keep only the last of them"))];
}

function left({ old, new: field, oldMessage, newMessage }: FieldPair): Report[] {
  if (!old || !field || !old.oneof || old.oneof === field.oneof) return [];
  const hit = clashes(oldMessage, old, newMessage);
  const what = `field ${field.name} moved out of oneof ${old.oneof}${field.oneof ? ` into oneof ${field.oneof}` : ""}`;
  if (hit.length === 0) return [{ message: `${what}: no other member of the old oneof can be set with it now; the wire is unchanged`, verdicts: NO_EFFECT }];
  return [worded(`${what}, and new data may set it along with ${names(hit)}`, hazard("forward", "all", "loss", "keep only the last of them"))];
}

export const oneofRules: Rule[] = [
  {
    id: "FIELD_ONEOF_JOINED",
    purpose: "Checks that no field moves into a oneof with fields it could be set with before: readers keep only the last.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: (pair) => joined(pair),
  },
  {
    id: "FIELD_ONEOF_LEFT",
    purpose: "Checks that no field leaves a oneof while its old partners remain: old readers keep only the last of both.",
    categories: ["CRIU_WIRE"],
    scope: "field",
    check: (pair) => left(pair),
  },
];
