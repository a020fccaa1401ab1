import {
  type Alias,
  type Document,
  type DocumentOptions,
  isAlias,
  isCollection,
  isMap as isMapNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type ParseOptions,
  parseDocument,
  type SchemaOptions,
  visit,
} from "yaml";
import type { Json } from "../pushdown";
import { errorMessage } from "../pushdown";
import { ALLOWED_CORE_TAGS, CFN_TAGS, isShortForm, PY_BOOL, PY_FLOAT, PY_INT, PY_NULL } from "./tags";

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

/** A parsed YAML template: the document (for edits that keep the text) and the data SAM sees. */
export interface ParsedYaml {
  readonly document: Document;
  readonly lineCounter: LineCounter;
  readonly value: Json;
}

/**
 * How much aliasing a template may use, counted as the library counts it (aliases resolved times the
 * size of what they point at). Real templates stay far below; an alias bomb passes it within milliseconds.
 */
export const MAX_ALIAS_COUNT = 10_000;

/** Options that make the `yaml` library read a template as the SAM CLI (PyYAML, YAML 1.1) reads it. */
export const READ_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  schema: "failsafe",
  customTags: CFN_TAGS,
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
};

/**
 * Parses CloudFormation YAML the way the SAM CLI and the SAM translator read it (PyYAML, YAML 1.1):
 * `no`/`off` are false, `0o0` is a string, `<<: *anchor` merges, `!Ref X` is `{"Ref": "X"}`,
 * `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`, every other short form `!Name` is `{"Fn::Name": ...}`.
 * Keys such as `__proto__` stay plain data.
 *
 * @throws TemplateSyntaxError for broken YAML, and wherever another YAML reader could read the text
 *   differently (duplicate keys, keys that are not strings or integers, unknown tags, directives for
 *   another YAML version), or when aliases expand beyond {@link MAX_ALIAS_COUNT}
 */
export function parseCfnYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const odd = NOT_READ_ALIKE.exec(text);
  if (odd !== null) {
    const code = (odd[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    throw new TemplateSyntaxError(
      `the character U+${code}, which the SAM CLI's YAML reader refuses or reads as a line break; remove it, or write it as an escape in double quotes`,
      text.slice(0, odd.index).split("\n").length,
    );
  }
  // Source tokens give edits the exact place of each colon, tag and anchor (see edit.ts).
  const document = parseDocument(text, { ...READ_OPTIONS, lineCounter, keepSourceTokens: true });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;
  const error = document.errors[0];
  if (error) throw new TemplateSyntaxError(syntaxMessage(error.code, error.message), lineAt(error.pos[0]));
  const version = document.directives?.yaml.explicit ? document.directives.yaml.version : undefined;
  if (version !== undefined && version !== "1.1")
    throw new TemplateSyntaxError(`%YAML ${version}: the SAM CLI reads templates as YAML 1.1`, 1);
  const hasAliases = checkReadsTheSame(document, lineAt);
  readFinalBlockScalarAsPyYaml(document, text);
  let value: Json;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Json;
    // The library hands every alias of an anchor the same object; a template read from JSON never
    // shares, and the rewrite (which may edit one place in place) must not see a change twice.
    if (hasAliases) value = unshared(value);
  } catch (cause) {
    throw readFailure(cause);
  }
  return { document, lineCounter, value };
}

/**
 * A failure while building the template's value, in the words of templates: too many aliases, or
 * nesting deeper than the reader's stack (the library's limit or the engine's own).
 */
export function readFailure(cause: unknown): TemplateSyntaxError {
  const message = errorMessage(cause);
  if (/excessive alias count/i.test(message))
    return new TemplateSyntaxError(
      `too many aliases (more than ${MAX_ALIAS_COUNT} expanded nodes)`,
      undefined,
    );
  if (/call stack|RESOURCE_EXHAUSTION/i.test(message))
    return new TemplateSyntaxError("template too deeply nested to read", undefined);
  return new TemplateSyntaxError(message, undefined);
}

/**
 * Characters PyYAML refuses anywhere in a stream (it accepts tab, line ends and the printable ranges),
 * and the line breaks only YAML 1.1 has (NEL, LS, PS), which the library reads otherwise.
 */
const NOT_READ_ALIKE = /[^\t\n\r\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The library's first message line, in the words of templates rather than of its API. */
function syntaxMessage(code: string, message: string): string {
  if (code === "MULTIPLE_DOCS") return "more than one YAML document (---): a template is one document";
  if (code === "RESOURCE_EXHAUSTION") return "template too deeply nested to read";
  return message.split("\n")[0] ?? message;
}

/**
 * Refuses what two YAML readers could take differently, so the rewrite never acts on a meaning SAM
 * does not see: explicit tags other than the basic ones and CloudFormation's short forms, and map
 * keys that are not strings or integers (PyYAML keeps `1.0`, `true` or `null` keys as such, JSON has
 * only strings).
 */
function checkReadsTheSame(
  document: Document,
  lineAt: (offset: number | undefined) => number | undefined,
): boolean {
  let hasAliases = false;
  const anchors = new Set<string>();
  const refuse = (message: string, node: { range?: [number, number, number] | null } | null | undefined) => {
    throw new TemplateSyntaxError(message, lineAt(node?.range?.[0]));
  };
  const checkTag = (node: Node) => {
    // PyYAML refuses an anchor defined twice; the library would let the later one win.
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined) {
      if (anchors.has(anchor))
        refuse(`the anchor &${anchor} is defined twice, which the SAM CLI's YAML reader refuses`, node);
      anchors.add(anchor);
    }
    const tag = node.tag;
    if (tag === undefined || ALLOWED_CORE_TAGS.has(tag) || isShortForm(tag)) return;
    refuse(`unknown tag ${tag}`, node);
  };
  visit(document, {
    Alias() {
      hasAliases = true;
    },
    Scalar(key, node) {
      checkTag(node);
      // An explicit !!int, !!float, !!bool, !!null or !!timestamp is read alike only where its text is
      // what PyYAML's implicit rule for that type takes; PyYAML's constructors go their own way otherwise.
      const explicit = node.tag === undefined ? undefined : IMPLICIT_FORMS[node.tag];
      if (explicit !== undefined && !explicit.test(node.source ?? ""))
        refuse(
          `${node.tag?.replace("tag:yaml.org,2002:", "!!")} on ${JSON.stringify(node.source)}, which the SAM CLI's YAML reader reads otherwise; write the value plainly`,
          node,
        );
      if (typeof node.value === "number" && Number.isNaN(node.value) && !/nan$/i.test(node.source ?? ""))
        refuse(`${JSON.stringify(node.source)} is not a number the SAM CLI's YAML reader can read`, node);
      // PyYAML resolves a plain << anywhere to its merge tag, and refuses it outside a key.
      if (key !== "key" && node.type === "PLAIN" && node.source === "<<")
        throw new TemplateSyntaxError(
          "a plain << that is not a merge key; quote it",
          lineAt(node.range?.[0]),
        );
    },
    Map(_key, node) {
      checkTag(node);
      if (node.tag === "!Ref" || node.tag === "!Condition")
        refuse(`${node.tag} takes a name, not a map`, node);
      checkMerges(node.items, (alias) => alias.resolve(document) as Node | undefined, refuse);
    },
    Seq(_key, node) {
      checkTag(node);
      if (node.tag === "!Ref" || node.tag === "!Condition")
        refuse(`${node.tag} takes a name, not a list`, node);
      checkDashes(node, lineAt);
    },
    Pair(_key, pair) {
      if (!isPair(pair)) return;
      const key = pair.key;
      // PyYAML decides a merge by the key's tag, the library by its text: read alike only untagged.
      if (isScalar(key) && key.tag !== undefined && (key.source === "<<" || key.tag.endsWith(":merge")))
        refuse("a tagged merge key (<<), which YAML readers take differently; write << plainly", key);
      if (isCollection(key))
        throw new TemplateSyntaxError(
          "a map key must be a plain value, not a list or map",
          lineAt(key.range?.[0]),
        );
      if (!isScalar(key) || typeof key.value === "string" || typeof key.value === "symbol") return;
      if (
        typeof key.value === "number" &&
        Number.isSafeInteger(key.value) &&
        /^[0-9]+$/.test(key.source ?? "")
      )
        return;
      throw new TemplateSyntaxError(
        `the key ${JSON.stringify(key.source)} is not read as a string by the SAM CLI (YAML 1.1); quote it`,
        lineAt(key.range?.[0]),
      );
    },
  });
  return hasAliases;
}

/**
 * A block scalar that ends the file without a final line break: PyYAML reads no line break at its end
 * (there is none in the text), where the library adds one.
 */
function readFinalBlockScalarAsPyYaml(document: Document, text: string): void {
  if (/[\r\n]$/.test(text)) return;
  visit(document, {
    Scalar(_key, node) {
      const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
      const ends = node.range?.[1] === text.length || node.range?.[2] === text.length;
      if (block && ends && typeof node.value === "string" && node.value.endsWith("\n"))
        node.value = node.value.slice(0, -1);
    },
  });
}

/** The parts of a block sequence's source that stand before each item. */
interface BlockSeqToken {
  readonly type?: string;
  readonly items?: readonly {
    readonly start?: readonly { type: string; source: string; offset: number }[];
  }[];
}

/** PyYAML refuses a tab right after a block sequence's dash; the library reads on. */
function checkDashes(node: Node, lineAt: (offset: number | undefined) => number | undefined): void {
  const token = (node as { srcToken?: BlockSeqToken }).srcToken;
  if (token?.type !== "block-seq") return;
  for (const item of token.items ?? []) {
    const start = item.start ?? [];
    const dash = start.findIndex((part) => part.type === "seq-item-ind");
    const after = dash < 0 ? undefined : start[dash + 1];
    if (after?.type === "space" && after.source.includes("\t"))
      throw new TemplateSyntaxError(
        "a tab after a list's dash, which the SAM CLI's YAML reader refuses; use spaces",
        lineAt(after.offset),
      );
  }
}

/** PyYAML's implicit forms of the core types, by their tag: an explicit tag is safe on these only. */
const IMPLICIT_FORMS: Readonly<Record<string, RegExp>> = {
  "tag:yaml.org,2002:int": PY_INT,
  "tag:yaml.org,2002:float": PY_FLOAT,
  "tag:yaml.org,2002:bool": PY_BOOL,
  "tag:yaml.org,2002:null": PY_NULL,
};

/**
 * A map's merge keys as PyYAML reads them: one `<<` per map (of two, PyYAML keeps the later, the library
 * the first), whose value is a map, an alias of one, or a list of those.
 */
function checkMerges(
  pairs: readonly unknown[],
  resolve: (alias: Alias) => Node | undefined,
  refuse: (message: string, node: { range?: [number, number, number] | null } | null | undefined) => never,
): void {
  let seen = false;
  for (const pair of pairs) {
    if (!isPair(pair) || !isScalar(pair.key) || pair.key.tag !== undefined || pair.key.source !== "<<")
      continue;
    if (pair.key.type !== undefined && pair.key.type !== "PLAIN") continue;
    if (seen)
      refuse(
        "two merge keys (<<) in one map, which YAML readers merge differently; list them in one: <<: [*a, *b]",
        pair.key,
      );
    seen = true;
    const value = pair.value as Node | null;
    const mergeable = (node: unknown): boolean => {
      const target = isAlias(node) ? resolve(node) : node;
      return isMapNode(target) && (target as Node).tag === undefined;
    };
    const ok = mergeable(value) || (isSeq(value) && value.items.length > 0 && value.items.every(mergeable));
    if (!ok) refuse("a merge key (<<) needs a map, an alias of one, or a list of those", pair.key);
  }
}

/** A deep copy in which no object appears twice (keys such as `__proto__` stay data). */
function unshared(value: Json): Json {
  if (Array.isArray(value)) return value.map(unshared);
  if (value === null || typeof value !== "object") return value;
  const copy: { [key: string]: Json } = {};
  for (const [key, inner] of Object.entries(value))
    Object.defineProperty(copy, key, {
      value: unshared(inner),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}
