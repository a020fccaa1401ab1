import {
  type Document,
  type DocumentOptions,
  isCollection,
  isPair,
  isScalar,
  LineCounter,
  type Node,
  type ParseOptions,
  parseDocument,
  type SchemaOptions,
  visit,
} from "yaml";
import type { Json } from "../pushdown";
import { ALLOWED_CORE_TAGS, CFN_TAGS, isShortForm } from "./tags";

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
  let value: Json;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Json;
    // The library hands every alias of an anchor the same object; a template read from JSON never
    // shares, and the rewrite (which may edit one place in place) must not see a change twice.
    if (hasAliases) value = unshared(value);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new TemplateSyntaxError(
      /alias/i.test(message) ? `too many aliases (more than ${MAX_ALIAS_COUNT} expanded nodes)` : message,
      undefined,
    );
  }
  return { document, lineCounter, value };
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
  const checkTag = (node: Node) => {
    const tag = node.tag;
    if (tag === undefined || ALLOWED_CORE_TAGS.has(tag) || isShortForm(tag)) return;
    throw new TemplateSyntaxError(`unknown tag ${tag}`, lineAt(node.range?.[0]));
  };
  visit(document, {
    Alias() {
      hasAliases = true;
    },
    Scalar(key, node) {
      checkTag(node);
      // PyYAML resolves a plain << anywhere to its merge tag, and refuses it outside a key.
      if (key !== "key" && node.type === "PLAIN" && node.source === "<<")
        throw new TemplateSyntaxError(
          "a plain << that is not a merge key; quote it",
          lineAt(node.range?.[0]),
        );
    },
    Map(_key, node) {
      checkTag(node);
    },
    Seq(_key, node) {
      checkTag(node);
    },
    Pair(_key, pair) {
      if (!isPair(pair)) return;
      const key = pair.key;
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
