import {
  type CollectionTag,
  type DocumentOptions,
  isScalar,
  type Node,
  Scalar,
  type ScalarTag,
  type Schema,
  type SchemaOptions,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import { stringifyString } from "yaml/util";
import { defineKey, isMap as isJsonMap } from "../pushdown/json";

/*
 * The one tag schema of CloudFormation YAML, used to read and to write templates:
 *
 * - plain scalars resolve exactly as PyYAML's SafeLoader resolves them (YAML 1.1), because that is how
 *   the SAM CLI, the SAM translator and cfn-lint read a template: `no` and `off` are false, `0o0` and
 *   `1e3` are strings, `017` is 15, `1:20` is 80;
 * - CloudFormation's short forms (`!Ref X`, `!GetAtt A.B`, `!If [...]`, `!Sub ...`) read as their
 *   long-form maps and are written back as short forms.
 */

const CORE = "tag:yaml.org,2002:";

/** PyYAML's implicit resolvers (yaml/resolver.py), anchored as PyYAML anchors them. */
export const PY_NULL = /^(?:~|null|Null|NULL|)$/;
export const PY_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
export const PY_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
export const PY_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const PY_TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const PY_VALUE = /^=$/;

/** The sign and digits of a PyYAML number, `_` removed. */
function signed(text: string): { sign: number; digits: string } {
  const clean = text.replace(/_/g, "");
  if (clean.startsWith("-")) return { sign: -1, digits: clean.slice(1) };
  return { sign: 1, digits: clean.startsWith("+") ? clean.slice(1) : clean };
}

/** `1:20:30` read as base 60, as PyYAML reads sexagesimal numbers. */
function sexagesimal(digits: string, parse: (part: string) => number): number {
  return digits.split(":").reduce((total, part) => total * 60 + parse(part), 0);
}

/** PyYAML's `construct_yaml_int`. */
export function pyInt(text: string): number {
  const { sign, digits } = signed(text);
  if (digits === "0") return 0;
  if (digits.startsWith("0b")) return sign * Number.parseInt(digits.slice(2), 2);
  if (digits.startsWith("0x")) return sign * Number.parseInt(digits.slice(2), 16);
  if (digits.startsWith("0")) return sign * Number.parseInt(digits, 8);
  if (digits.includes(":")) return sign * sexagesimal(digits, (part) => Number.parseInt(part, 10));
  return sign * Number(digits);
}

/** PyYAML's `construct_yaml_float`. */
export function pyFloat(text: string): number {
  const { sign, digits } = signed(text.toLowerCase());
  if (digits === ".inf") return sign * Number.POSITIVE_INFINITY;
  if (digits === ".nan") return Number.NaN;
  if (digits.includes(":")) return sign * sexagesimal(digits, Number.parseFloat);
  return sign * Number.parseFloat(digits);
}

function plain(
  tag: string,
  test: RegExp,
  resolve: (text: string) => unknown,
  write?: { identify: (value: unknown) => boolean; text: (value: unknown) => string },
): ScalarTag {
  return {
    tag: `${CORE}${tag}`,
    default: true,
    test,
    resolve,
    identify: write?.identify ?? (() => false),
    stringify: (item) => (write ? write.text(item.value) : String(item.value)),
  };
}

/** A number as PyYAML writes it: integers plainly, floats always with a dot and a signed exponent. */
function numberText(value: unknown): string {
  const number = value as number;
  if (Number.isNaN(number)) return ".nan";
  if (!Number.isFinite(number)) return number > 0 ? ".inf" : "-.inf";
  const text = String(number);
  if (Number.isInteger(number) && !text.includes("e")) return text;
  const [mantissa = text, exponent] = text.split("e");
  const dotted = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  if (exponent === undefined) return dotted;
  return `${dotted}e${exponent.startsWith("-") || exponent.startsWith("+") ? exponent : `+${exponent}`}`;
}

/**
 * PyYAML's plain-scalar types. A timestamp stays its text: SAM never reads one as a date where the
 * rewrite looks, and the text keeps the file's own form. Written values (`true`, `null`, `3`) use the
 * spelling every YAML reader agrees on.
 */
const PY_SCALARS: ScalarTag[] = [
  plain("null", PY_NULL, () => null, { identify: (value) => value === null, text: () => "null" }),
  plain("bool", PY_BOOL, (text) => /^(?:yes|true|on)$/i.test(text), {
    identify: (value) => typeof value === "boolean",
    text: (value) => String(value),
  }),
  plain("int", PY_INT, pyInt, {
    identify: (value) => typeof value === "number" && Number.isSafeInteger(value),
    text: numberText,
  }),
  plain("float", PY_FLOAT, pyFloat, { identify: (value) => typeof value === "number", text: numberText }),
  plain("timestamp", PY_TIMESTAMP, (text) => text),
  {
    ...plain("value", PY_VALUE, () => "="),
    resolve: (_text: string, onError: (message: string) => void) => {
      onError("a plain = is YAML 1.1's value key, which the SAM CLI's reader refuses; quote it");
      return "=";
    },
  },
];

/** Short forms whose long form is `Fn::<Name>`. */
const FN_NAMES = [
  "And",
  "Base64",
  "Cidr",
  "Contains",
  "EachMemberEquals",
  "EachMemberIn",
  "Equals",
  "FindInMap",
  "GetAZs",
  "GetAtt",
  "If",
  "ImportValue",
  "Join",
  "Length",
  "Not",
  "Or",
  "RefAll",
  "Select",
  "Split",
  "Sub",
  "ToJsonString",
  "Transform",
  "ValueOf",
] as const;

/** The long-form key of a short-form tag: `!Ref` is `Ref`, `!If` is `Fn::If`. */
export function longFormKey(tag: string): string {
  const name = tag.startsWith("!") ? tag.slice(1) : tag;
  return name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
}

/** Whether `!name` is a CloudFormation short form this schema reads. */
export function isShortForm(tag: string | undefined): boolean {
  if (tag === undefined || !tag.startsWith("!") || tag.startsWith("!!")) return false;
  const name = tag.slice(1);
  return name === "Ref" || name === "Condition" || (FN_NAMES as readonly string[]).includes(name);
}

/** The single key of a one-key plain object, when `value` is one. */
function soleKey(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Map)
    return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 ? keys[0] : undefined;
}

function innerOf(value: unknown): unknown {
  const key = soleKey(value);
  return key === undefined ? undefined : (value as Record<string, unknown>)[key];
}

/** `!GetAtt A.B` reads as `["A", "B"]`: the first dot splits the resource from the attribute. */
function getAttParts(text: string): string[] {
  const dot = text.indexOf(".");
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** `["A", "B"]` can be written `!GetAtt A.B` only when it reads back the same way. */
function getAttText(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [resource, attribute] = value;
  if (typeof resource !== "string" || typeof attribute !== "string" || resource.includes("."))
    return undefined;
  return `${resource}.${attribute}`;
}

/** A sequence written `!If [...]`: reads as `{"Fn::If": [...]}`. */
class IntrinsicSeq extends YAMLSeq {
  // The library types toJSON as returning a list; CloudFormation reads this node as a one-key map.
  public override toJSON(_arg?: unknown, ctx?: Parameters<YAMLSeq["toJSON"]>[1]): unknown[] {
    return intrinsicJson(this.tag, ctx, () => super.toJSON(_arg, ctx)) as unknown as unknown[];
  }
}

/** A map written `!Transform {...}`: reads as `{"Fn::Transform": {...}}`. */
class IntrinsicMap extends YAMLMap {
  public override toJSON(_arg?: unknown, ctx?: Parameters<YAMLMap["toJSON"]>[1]): unknown {
    return intrinsicJson(this.tag, ctx, () => super.toJSON(_arg, ctx));
  }
}

/** `{"Fn::Name": content}`, registered first as the anchored value so an alias of the node reads it too. */
function intrinsicJson(
  tag: string | undefined,
  ctx: unknown,
  content: () => unknown,
): Record<string, unknown> {
  const wrapper: Record<string, unknown> = {};
  (ctx as { onCreate?: (value: unknown) => void } | undefined)?.onCreate?.(wrapper);
  defineKey(wrapper, longFormKey(tag ?? ""), content());
  return wrapper;
}

type Stringify = NonNullable<ScalarTag["stringify"]>;

/** Writes a short form's scalar content with the node's own quoting; collections write themselves. */
const stringifyShortForm: Stringify = (item, ctx, onComment, onChompKeep) => {
  if (!isScalar(item)) return (item as Node).toString(ctx, onComment, onChompKeep);
  // A scalar read from a file holds the intrinsic (`{"Ref": "X"}`); one built by hand may hold its text.
  const inner = typeof item.value === "string" ? item.value : innerOf(item.value);
  const text = item.tag === "!GetAtt" && typeof inner !== "string" ? getAttText(inner) : inner;
  const scalar = new Scalar(typeof text === "string" ? text : String(text));
  if (item.type) scalar.type = item.type;
  return stringifyString(scalar, ctx, onComment, onChompKeep);
};

function scalarForm(name: string): ScalarTag {
  const key = longFormKey(name);
  return {
    tag: `!${name}`,
    resolve: (text: string) => ({ [key]: name === "GetAtt" ? getAttParts(text) : text }),
    identify: (value: unknown) => {
      if (soleKey(value) !== key) return false;
      const inner = innerOf(value);
      if (name === "GetAtt") return getAttText(inner) !== undefined;
      // `!Condition` is read, never written: `{Condition: X}` is also a resource attribute.
      return typeof inner === "string" && name !== "Condition";
    },
    stringify: stringifyShortForm,
  };
}

function collectionForm(name: string, kind: "seq" | "map"): CollectionTag {
  const key = longFormKey(name);
  return {
    tag: `!${name}`,
    collection: kind,
    nodeClass: kind === "seq" ? IntrinsicSeq : IntrinsicMap,
    identify: (value: unknown) => {
      if (soleKey(value) !== key) return false;
      const inner = innerOf(value);
      // `!GetAtt A.B` is the scalar form's to write; lists it cannot express stay lists.
      if (name === "GetAtt" && kind === "seq") return Array.isArray(inner) && getAttText(inner) === undefined;
      return kind === "seq" ? Array.isArray(inner) : isJsonMap(inner);
    },
    createNode: (
      schema: Schema,
      value: unknown,
      ctx: Parameters<NonNullable<CollectionTag["createNode"]>>[2],
    ) => {
      const inner = innerOf(value);
      // `from` builds an instance of the class it is called on, so the node reads back as the intrinsic.
      if (kind === "map") return IntrinsicMap.from(schema, inner, ctx);
      const seq = IntrinsicSeq.from(schema, inner, ctx);
      seq.flow = true;
      return seq;
    },
  };
}

/** Every short form, as a scalar, a sequence and a map (CloudFormation accepts each shape). */
const SHORT_FORMS: (ScalarTag | CollectionTag)[] = ["Ref", "Condition", ...FN_NAMES].flatMap((name) =>
  name === "Ref" || name === "Condition"
    ? [scalarForm(name)]
    : [scalarForm(name), collectionForm(name, "seq"), collectionForm(name, "map")],
);

/**
 * The string `<<` written quoted. Without it the library writes it bare (its merge tag claims it),
 * and PyYAML would read a merge key. Never used for reading (`default: false`).
 */
const QUOTED_MERGE_TEXT: ScalarTag = {
  tag: `${CORE}str`,
  default: false,
  test: /^<<$/,
  identify: (value) => value === "<<",
  resolve: (text) => text,
  stringify: () => '"<<"',
};

/** Characters PyYAML refuses raw, or reads as line breaks (DEL, C1 controls, NEL, LS, PS). */
const NEEDS_ESCAPE = /[\x7F-\x9F\u2028\u2029]/;

/**
 * A string holding one of {@link NEEDS_ESCAPE} written in double quotes with those characters escaped:
 * the library would write them raw, which the SAM CLI's reader refuses or reads otherwise. Never used
 * for reading (`default: false`); chosen for writing over the plain string tag by its `test`.
 */
const ESCAPED_TEXT: ScalarTag = {
  tag: `${CORE}str`,
  default: false,
  test: /(?!)/,
  identify: (value) => typeof value === "string" && NEEDS_ESCAPE.test(value),
  resolve: (text) => text,
  stringify: (item) =>
    JSON.stringify(String(item.value)).replace(
      /[\x7F-\x9F\u2028\u2029]/g,
      (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
    ),
};

/** The tags of CloudFormation YAML as the SAM CLI reads it, for `parseDocument` and `new Document`. */
export const CFN_TAGS: (ScalarTag | CollectionTag)[] = [
  ...PY_SCALARS,
  QUOTED_MERGE_TEXT,
  ESCAPED_TEXT,
  ...SHORT_FORMS,
];

/** Options for documents written with this schema: strings that any YAML reader could take for another type are quoted. */
export const WRITE_OPTIONS: DocumentOptions & SchemaOptions = {
  version: "1.1",
  schema: "failsafe",
  customTags: CFN_TAGS,
  merge: true,
  // Also quote what YAML 1.2 readers take for numbers, and a `<<` that PyYAML would take for a merge.
  compat: ["null", "bool", "int", "intHex", "intOct", "float", "floatExp", "floatNaN", "merge"],
};

/** Core tags a template may name explicitly (`!!str 5`); any other `!!` tag is refused. */
export const ALLOWED_CORE_TAGS: ReadonlySet<string> = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq", "merge"].map((name) => `${CORE}${name}`),
);
