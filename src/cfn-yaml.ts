import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { Json, JsonMap } from "./pushdown";

/** A template file could not be read as CloudFormation YAML or JSON; `line` is 1-based. */
export class TemplateSyntaxError extends Error {
  public override readonly name = "TemplateSyntaxError";

  public constructor(
    message: string,
    public readonly line: number | undefined,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}

/** Short-form tags whose long form is `Fn::<Name>`. */
const FN_TAGS = [
  "And",
  "Base64",
  "Cidr",
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
  "Select",
  "Split",
  "Sub",
  "ToJsonString",
  "Transform",
];

/** True when `!Name` is CloudFormation's short form of `Fn::Name` (writers use it to emit short forms). */
export function isShortFormFunction(name: string): boolean {
  return FN_TAGS.includes(name);
}

/** A parsed YAML template: the document (for comment-keeping edits) and the data CloudFormation sees. */
export interface ParsedYaml {
  readonly document: Document;
  readonly lineCounter: LineCounter;
  readonly value: Json;
}

/**
 * Parses CloudFormation YAML the way CloudFormation reads it: `!Ref X` is `{"Ref": "X"}`,
 * `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`, every other short form `!Name` is `{"Fn::Name": ...}`.
 * Keys such as `__proto__` stay plain data.
 */
export function parseCfnYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    keepSourceTokens: false,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const error = document.errors[0];
  if (error)
    throw new TemplateSyntaxError(
      error.message.split("\n")[0] ?? error.message,
      lineOf(lineCounter, error.pos[0]),
    );
  return { document, lineCounter, value: toJson(document.contents as Node | null, document, lineCounter) };
}

function toJson(node: Node | null | undefined, document: Document, lines: LineCounter): Json {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toJson(node.resolve(document) as Node, document, lines);
  const plain = plainValue(node, document, lines);
  return node.tag?.startsWith("!") ? shortForm(node.tag.slice(1), plain, node, lines) : plain;
}

function plainValue(node: Node, document: Document, lines: LineCounter): Json {
  if (isScalar(node)) return scalarValue(node.value, node, lines);
  if (isSeq(node)) return node.items.map((item) => toJson(item as Node, document, lines));
  if (isMap(node)) {
    const map: JsonMap = {};
    for (const pair of node.items) {
      const key = toJson(pair.key as Node, document, lines);
      // defineProperty keeps `__proto__` an ordinary key.
      Object.defineProperty(map, String(key), {
        value: toJson(pair.value as Node, document, lines),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return map;
  }
  throw new TemplateSyntaxError("unsupported YAML node", lineOf(lines, node.range?.[0]));
}

function scalarValue(value: unknown, node: Node, lines: LineCounter): Json {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw new TemplateSyntaxError(`unsupported YAML value ${String(value)}`, lineOf(lines, node.range?.[0]));
}

function shortForm(name: string, value: Json, node: Node, lines: LineCounter): Json {
  if (name === "Ref") return { Ref: value };
  if (name === "Condition") return { Condition: value };
  if (name === "GetAtt" && typeof value === "string") {
    const dot = value.indexOf(".");
    return { "Fn::GetAtt": dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if (FN_TAGS.includes(name)) return { [`Fn::${name}`]: value };
  throw new TemplateSyntaxError(`unknown tag !${name}`, lineOf(lines, node.range?.[0]));
}

function lineOf(lines: LineCounter, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

/** Parses a template file's text: JSON when it looks like JSON, CloudFormation YAML otherwise. */
export function parseTemplateText(text: string): { format: "json" | "yaml"; value: Json; yaml?: ParsedYaml } {
  if (/^\s*[{[]/.test(text)) {
    try {
      return { format: "json", value: JSON.parse(text) as Json };
    } catch (error) {
      const match = /position (\d+)/.exec(String(error));
      const line = match ? text.slice(0, Number(match[1])).split("\n").length : undefined;
      throw new TemplateSyntaxError(`invalid JSON: ${(error as Error).message}`, line);
    }
  }
  const yaml = parseCfnYaml(text);
  return { format: "yaml", value: yaml.value, yaml };
}
