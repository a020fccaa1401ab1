import { Document, isCollection, isScalar, type Node, Pair, Scalar, visit, YAMLMap, YAMLSeq } from "yaml";
import type { Json } from "../pushdown";
import { WRITE_OPTIONS } from "./tags";

/*
 * Text for the values an edit writes, in the style of the file around them. YAML values are created
 * through a Document with the one tag schema (so `{"Ref": "X"}` is written `!Ref X` and a string such
 * as "no" is quoted); JSON values are written by JSON.stringify with the file's indentation.
 */

/** How the file is laid out, read off its text so new lines look like their neighbours. */
export interface Layout {
  /** Indentation step of block YAML, or of pretty JSON as its own string (spaces or tabs). */
  readonly indent: number;
  readonly jsonIndent: string | undefined;
  /** Whether block lists are indented under their key (`key:\n  - a`) or not (`key:\n- a`). */
  readonly indentSeq: boolean;
  /** Whether flow collections are written `{ a: 1 }` rather than `{a: 1}`. */
  readonly flowPadding: boolean;
  /** `": "` or `":"` between a JSON key and its value, and `", "` or `","` between entries. */
  readonly jsonColon: string;
  readonly jsonComma: string;
  readonly newline: string;
}

/** Reads the layout off the source text. */
export function detectLayout(text: string, format: "json" | "yaml"): Layout {
  const lines = text.split(/\r?\n/);
  let indent = 0;
  let indentSeq = true;
  let jsonIndent: string | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const width = /^( *)[^ #\-\s]/.exec(line)?.[1]?.length ?? 0;
    if (width > 0 && (indent === 0 || width < indent)) indent = width;
    const owner = /^( *)[^ #-].*:\s*$/.exec(line);
    if (owner && new RegExp(`^${owner[1]}- `).test(lines[i + 1] ?? "")) indentSeq = false;
    if (jsonIndent === undefined && /[{[]\s*$/.test(line)) {
      const own = /^[ \t]*/.exec(line)?.[0] ?? "";
      const next = /^[ \t]*/.exec(lines[i + 1] ?? "")?.[0] ?? "";
      if (next.length > own.length && next.startsWith(own)) jsonIndent = next.slice(own.length);
    }
  }
  return {
    indent: indent === 0 ? 2 : Math.min(indent, 8),
    jsonIndent: format === "json" ? jsonIndent : undefined,
    indentSeq,
    flowPadding: format === "yaml" && /[{[] \S/.test(text) && !/[{[][^\s{}[\]]/.test(text),
    jsonColon: /"[ \t]*:[ \t]*[\S]/.exec(text)?.[0].includes(": ") === false ? ":" : ": ",
    jsonComma: /,[ \t]+\S/.test(text) || !/,\S/.test(text) ? ", " : ",",
    newline: text.includes("\r\n") ? "\r\n" : "\n",
  };
}

/** Writes values and keys for one source file. */
export class Renderer {
  public constructor(
    private readonly format: "json" | "yaml",
    private readonly layout: Layout,
  ) {}

  /**
   * `key: value` as entries of a block map whose keys stand at `column`: the first line without its
   * indentation, the next ones indented, no final line break.
   */
  public blockPair(key: string, value: Json, column: number): string {
    return this.indented(this.yamlText(pairMap(key, this.node(value), false)), column);
  }

  /** The value part of a block pair (what follows `key:`, with its leading space or line break). */
  public blockValue(value: Json, column: number): string {
    const text = this.blockPair("k", value, column);
    return text.slice(text.indexOf(":") + 1);
  }

  /** A value as a block list item, after its `- `, with further lines indented to `column`. */
  public blockItem(value: Json, column: number): string {
    const seq = new YAMLSeq();
    seq.items.push(this.node(value));
    const text = this.yamlText(seq);
    // The library continues an item two columns in, under its `- `.
    return this.indented(text.slice(2), Math.max(column - 2, 0));
  }

  /**
   * `key: value` inside a flow collection (JSON: `"key": value`). One line, unless the collection is
   * JSON spread over lines, where a new map or list is spread the same way.
   */
  public flowPair(key: string, value: Json, linePrefix: string, multiLine: boolean): string {
    if (this.format === "json")
      return `${JSON.stringify(key)}${this.layout.jsonColon}${this.flowValue(value, linePrefix, multiLine)}`;
    const text = this.yamlText(pairMap(key, this.flowNode(value), true));
    return stripBrackets(text);
  }

  /** A value inside a flow collection or after a key in JSON; `linePrefix` is its line's indentation. */
  public flowValue(value: Json, linePrefix: string, multiLine: boolean): string {
    if (this.format === "json") {
      if (!multiLine || this.layout.jsonIndent === undefined) return this.jsonLine(value);
      const text = JSON.stringify(value, null, this.layout.jsonIndent) ?? "null";
      return text.split("\n").join(`${this.layout.newline}${linePrefix}`);
    }
    const seq = new YAMLSeq();
    seq.flow = true;
    seq.items.push(this.flowNode(value));
    return stripBrackets(this.yamlText(seq));
  }

  /** JSON on one line with the file's own spacing after colons and commas. */
  private jsonLine(value: Json): string {
    if (Array.isArray(value))
      return `[${value.map((item) => this.jsonLine(item)).join(this.layout.jsonComma)}]`;
    if (value !== null && typeof value === "object")
      return `{${Object.keys(value)
        .map((key) => `${JSON.stringify(key)}${this.layout.jsonColon}${this.jsonLine(value[key] as Json)}`)
        .join(this.layout.jsonComma)}}`;
    return JSON.stringify(value) ?? "null";
  }

  /** What stands between entries of a one-line flow collection: `, ` (or JSON's own spacing). */
  public get comma(): string {
    return this.format === "json" ? this.layout.jsonComma : ", ";
  }

  /** `{}`-style padding inside an empty flow map that gets its first entry. */
  public get flowPadding(): string {
    return this.layout.flowPadding ? " " : "";
  }

  public get newline(): string {
    return this.layout.newline;
  }

  private node(value: Json): Node {
    return new Document(null, WRITE_OPTIONS).createNode(value) as Node;
  }

  /** A node in which every collection is flow and no string breaks a line, so it fits on one line. */
  private flowNode(value: Json): Node {
    const node = this.node(value);
    visit(node, {
      Node(_key, inner) {
        if (isCollection(inner)) inner.flow = true;
        if (isScalar(inner) && typeof inner.value === "string" && /[\n\r]/.test(inner.value))
          inner.type = Scalar.QUOTE_DOUBLE;
      },
    });
    if (isCollection(node)) node.flow = true;
    return node;
  }

  private yamlText(contents: Node): string {
    const document = new Document(null, WRITE_OPTIONS);
    document.contents = contents;
    return document
      .toString({
        indent: this.layout.indent,
        indentSeq: this.layout.indentSeq,
        flowCollectionPadding: this.layout.flowPadding,
        lineWidth: 0,
        minContentWidth: 0,
      })
      .replace(/\n$/, "");
  }

  /** Every line but the first moved right by `column` spaces, with the file's line ends. */
  private indented(text: string, column: number): string {
    const pad = " ".repeat(column);
    return text
      .split("\n")
      .map((line, index) => (index === 0 || line.length === 0 ? line : pad + line))
      .join(this.layout.newline);
  }
}

function pairMap(key: string, value: Node, flow: boolean): YAMLMap {
  const map = new YAMLMap();
  map.flow = flow;
  map.items.push(new Pair(new Scalar(key), value));
  return map;
}

/** `{ a: 1 }` or `[ x ]` without its brackets and padding. */
function stripBrackets(text: string): string {
  return text.trim().slice(1, -1).trim();
}
