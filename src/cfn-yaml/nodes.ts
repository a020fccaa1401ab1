import {
  Document,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  type Node,
  Pair,
  Scalar,
  visit,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import type { Json, JsonMap } from "../pushdown";
import { isShortFormFunction } from ".";
import { WRITE_OPTIONS } from "./tags";

/** A step into a YAML document: a map key or a sequence index. */
export type Step = string | number;

/** The text a scalar key stands for, the way the template reader turns keys into JSON keys. */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

/** The pair of `map` whose key reads as `key`. */
export function findPair(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((pair) => keyText(pair.key) === key);
}

/**
 * Follows a path through the document the way the template reader does (aliases resolved), as far as it
 * goes. Returns the last node reached and, when the last step was a map key, that key's pair.
 */
export function nodeAt(
  document: Document,
  path: readonly Step[],
): { node: Node | undefined; pair: Pair<unknown, unknown> | undefined; depth: number } {
  let node = resolve(document, document.contents as Node | null);
  let pair: Pair<unknown, unknown> | undefined;
  let depth = 0;
  for (const step of path) {
    let next: unknown;
    let nextPair: Pair<unknown, unknown> | undefined;
    if (isMap(node) && typeof step === "string") {
      nextPair = findPair(node, step);
      next = nextPair?.value;
    } else if (isSeq(node) && typeof step === "number") next = node.items[step];
    if (next === undefined || next === null) break;
    node = resolve(document, next as Node);
    pair = nextPair;
    depth += 1;
  }
  return { node: node ?? undefined, pair: depth === path.length ? pair : undefined, depth };
}

function resolve(document: Document, node: Node | null | undefined): Node | undefined {
  if (node === null || node === undefined) return undefined;
  return isAlias(node) ? (node.resolve(document) as Node | undefined) : node;
}

/**
 * Pairs every map and list of the parsed JSON with the YAML node it was read from, so a value the
 * rewrite copies from one place to another can be written as a copy of the user's own node.
 */
export function indexNodes(document: Document, value: Json): WeakMap<object, Node> {
  const index = new WeakMap<object, Node>();
  const seen = new Set<Node>();
  const walk = (raw: unknown, json: Json | undefined): void => {
    const node = resolve(document, raw as Node);
    if (node === undefined || json === null || typeof json !== "object" || seen.has(node)) return;
    seen.add(node);
    index.set(json, node);
    // A tagged node stands for a one-key intrinsic map; its content pairs with that key's value.
    const content = node.tag?.startsWith("!") ? Object.values(json)[0] : json;
    if (content === null || typeof content !== "object") return;
    if (isSeq(node) && Array.isArray(content))
      for (const [i, item] of node.items.entries()) walk(item, content[i]);
    if (isMap(node) && !Array.isArray(content)) {
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (key !== undefined && Object.hasOwn(content, key)) walk(pair.value, (content as JsonMap)[key]);
      }
    }
    seen.delete(node);
  };
  walk(document.contents, value);
  return index;
}

/** A detached copy of a node, without anchors (an anchor may appear only once in a document). */
export function detachedClone(node: Node): Node | undefined {
  const clone = node.clone() as Node;
  let hasAlias = false;
  visit(clone, {
    Alias() {
      hasAlias = true;
      return visit.BREAK;
    },
    Node(_key, inner) {
      if ("anchor" in inner) inner.anchor = undefined;
    },
  });
  // An alias in a copy may point at an anchor that comes later in the document: write from JSON instead.
  if (hasAlias) return undefined;
  if (isScalar(clone) || isCollection(clone)) {
    clone.comment = undefined;
    clone.commentBefore = undefined;
    clone.spaceBefore = false;
  }
  return clone;
}

/**
 * YAML for a JSON value in CloudFormation's short forms where the reader maps them back to the same JSON:
 * `{"Ref": "P"}` becomes `!Ref P`, `{"Fn::GetAtt": ["A", "B"]}` becomes `!GetAtt A.B`, `{"Fn::If": [...]}`
 * becomes `!If [...]`. `{"Condition": ...}` stays a map: the reader gives the same JSON for both.
 */
export function nodeFromJson(value: Json, copyOf?: (value: object) => Node | undefined): Node {
  if (value === null || typeof value !== "object") return new Scalar(value);
  // A value the rewrite copied from the user's own text is written as a copy of that text.
  const copied = copyOf?.(value);
  if (copied) return copied;
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const item of value) seq.items.push(nodeFromJson(item, copyOf));
    return seq;
  }
  const short = shortForm(value);
  if (short) return short;
  const map = new YAMLMap();
  for (const [key, item] of Object.entries(value))
    map.items.push(new Pair(new Scalar(key), nodeFromJson(item, copyOf)));
  return map;
}

function shortForm(value: JsonMap): Node | undefined {
  const keys = Object.keys(value);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return undefined;
  const inner = value[key] as Json;
  if (key === "Ref" && typeof inner === "string") return tagged(new Scalar(inner), "!Ref");
  if (key === "Fn::GetAtt" && Array.isArray(inner) && inner.length === 2) {
    const [resource, attribute] = inner;
    if (typeof resource === "string" && typeof attribute === "string" && !resource.includes("."))
      return tagged(new Scalar(`${resource}.${attribute}`), "!GetAtt");
  }
  const name = key.startsWith("Fn::") ? key.slice(4) : undefined;
  // `!GetAtt "A.B"` would read back as a two-item list, so a one-string GetAtt keeps its long form.
  if (name === undefined || !isShortFormFunction(name) || (name === "GetAtt" && typeof inner === "string"))
    return undefined;
  return tagged(nodeFromJson(inner), `!${name}`);
}

function tagged(node: Node, tag: string): Node {
  node.tag = tag;
  return node;
}

/** Rendering options that follow the source's own layout, so re-written parts look like their neighbours. */
export interface Layout {
  readonly indent: number;
  readonly indentSeq: boolean;
  readonly flowPadding: boolean;
  readonly newline: string;
}

/** Reads indentation, list indentation, `{ a }` padding and line endings off the source text. */
export function detectLayout(text: string): Layout {
  const lines = text.split(/\r?\n/);
  let indent = 0;
  let indentSeq = true;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const width = /^( *)[^ #\-\s]/.exec(line)?.[1]?.length ?? 0;
    if (width > 0 && (indent === 0 || width < indent)) indent = width;
    const owner = /^( *)[^ #-].*:\s*$/.exec(line);
    if (owner && new RegExp(`^${owner[1]}- `).test(lines[i + 1] ?? "")) indentSeq = false;
  }
  return {
    indent: indent === 0 ? 2 : Math.min(indent, 8),
    indentSeq,
    flowPadding: /[{[] \S/.test(text) && !/[{[][^\s{}[\]]/.test(text),
    newline: text.includes("\r\n") ? "\r\n" : "\n",
  };
}

/** A node on one line, in flow style, e.g. `!If [IsProd, true, false]`. */
export function inlineText(node: Node, layout: Layout): string {
  const copy = node.clone() as Node;
  visit(copy, {
    Node(_key, inner) {
      if (isCollection(inner)) inner.flow = true;
      if (isScalar(inner) && (inner.type === "BLOCK_LITERAL" || inner.type === "BLOCK_FOLDED"))
        inner.type = "QUOTE_DOUBLE";
    },
  });
  return documentText(copy, layout).trimEnd();
}

/** A node as block YAML, every line indented by `column` spaces and ending in a newline. */
export function blockText(node: Node, column: number, layout: Layout): string {
  const pad = " ".repeat(column);
  return documentText(node, layout)
    .trimEnd()
    .split("\n")
    .map((line) => (line.length > 0 ? pad + line : line))
    .join(layout.newline)
    .concat(layout.newline);
}

/** Stringifies a whole document (or a detached node) with the source's layout and no line folding. */
export function documentText(source: Document | Node, layout: Layout): string {
  let document: Document;
  if (source instanceof Document) document = source;
  else {
    document = new Document(null, WRITE_OPTIONS);
    document.contents = source;
  }
  return document.toString({
    indent: layout.indent,
    indentSeq: layout.indentSeq,
    flowCollectionPadding: layout.flowPadding,
    lineWidth: 0,
    minContentWidth: 0,
  });
}
