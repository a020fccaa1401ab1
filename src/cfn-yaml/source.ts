import { type Document, LineCounter, parseDocument } from "yaml";
import type { Json } from "../pushdown";
import { errorMessage } from "../pushdown";
import { parseCfnYaml, readFailure, TemplateSyntaxError } from "./read";

/**
 * A template file's text together with what it means and where each part of it is written: the one
 * input of the editing layer ({@link editTemplateText}) and of line lookups ({@link placeOf}).
 */
export interface TemplateSource {
  /** JSON when the text is JSON (as the SAM CLI tries first), YAML otherwise. */
  readonly format: "json" | "yaml";
  /** A leading byte order mark, kept apart so that the text and its offsets start with the template. */
  readonly bom: string;
  /** The text after the byte order mark. */
  readonly text: string;
  /** The template as the SAM CLI reads it. */
  readonly value: Json;
  /** The syntax tree the node ranges of edits and line lookups come from. */
  readonly document: Document;
  readonly lineCounter: LineCounter;
}

const BOM = "\uFEFF";

/**
 * Options that read JSON as the flow YAML it is, only for node ranges and duplicate keys: the values
 * come from `JSON.parse`, so big numbers, `1e400` and `-0` mean what they mean to JSON readers.
 */
const JSON_RANGES = {
  version: "1.2",
  schema: "json",
  uniqueKeys: true,
  merge: false,
  keepSourceTokens: true,
  prettyErrors: false,
} as const;

/**
 * Reads a template file's text the way the SAM CLI does: as JSON when it is JSON, otherwise as
 * CloudFormation YAML read as YAML 1.1 (see {@link parseCfnYaml}).
 *
 * @throws TemplateSyntaxError for text that is neither, for duplicate keys in JSON (JSON readers differ
 *   on which one wins), and wherever YAML readers could take the text differently
 */
export function readTemplateSource(input: string): TemplateSource {
  const bom = input.startsWith(BOM) ? BOM : "";
  const text = input.slice(bom.length);
  if (/^\s*[{[]/.test(text)) {
    const json = readJson(text);
    // With a byte order mark, Python's JSON reader refuses the file and the SAM CLI reads it as YAML:
    // fine while both readings agree.
    if (json.ok && bom !== "" && !readsAlikeAsYaml(text, json.read.value))
      throw new TemplateSyntaxError(
        "JSON with a byte order mark, which the SAM CLI reads as YAML, where some of its values read otherwise; remove the byte order mark",
        1,
      );
    if (json.ok) return { format: "json", bom, text, ...json.read };
    // Python's JSON reader, which the SAM CLI tries first, takes these as numbers; YAML as strings.
    const special = [...text.matchAll(/"(?:[^"\\]|\\.)*"|(?<![\w.$-])-?(?:NaN|Infinity)(?![\w.$])/g)].find(
      (match) => !match[0].startsWith('"'),
    );
    if (special !== undefined)
      throw new TemplateSyntaxError(
        `${special[0]} is a number to the SAM CLI's JSON reader and a string to YAML readers; quote it or remove it`,
        text.slice(0, special.index).split("\n").length,
      );
    // YAML in flow style also starts with a brace; the SAM CLI falls back to YAML the same way.
    try {
      return { format: "yaml", bom, text, ...parseCfnYaml(text) };
    } catch {
      throw json.error;
    }
  }
  return { format: "yaml", bom, text, ...parseCfnYaml(text) };
}

function readsAlikeAsYaml(text: string, value: Json): boolean {
  try {
    // Compared as JSON texts, not with sameJson: -0 and 0 are one number to the SAM CLI (Python reads
    // `-0` as the integer 0 either way), and a refusal over that would be a false alarm.
    return JSON.stringify(sortedKeys(parseCfnYaml(text).value)) === JSON.stringify(sortedKeys(value));
  } catch {
    return false;
  }
}

/** The value with every map's keys in one order, for comparing readings that may order them apart. */
function sortedKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort())
    Object.defineProperty(sorted, key, {
      value: sortedKeys(value[key] as Json),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return sorted;
}

type JsonRead =
  | { ok: true; read: Pick<TemplateSource, "value" | "document" | "lineCounter"> }
  | { ok: false; error: TemplateSyntaxError };

function readJson(text: string): JsonRead {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;
  let value: Json;
  let document: Document;
  try {
    document = parseDocument(text, { ...JSON_RANGES, lineCounter });
  } catch (cause) {
    return { ok: false, error: readFailure(cause) };
  }
  try {
    value = JSON.parse(text) as Json;
  } catch (cause) {
    const message = errorMessage(cause);
    return {
      ok: false,
      error: new TemplateSyntaxError(`invalid JSON: ${message}`, lineAt(document.errors[0]?.pos[0])),
    };
  }
  const error = document.errors[0];
  if (error?.code === "DUPLICATE_KEY") {
    const key = keyAt(text, error.pos[0]);
    throw new TemplateSyntaxError(
      `duplicate key ${key}: JSON readers differ on which one counts; keep one`,
      lineAt(error.pos[0]),
    );
  }
  if (error !== undefined) {
    if (error.code === "RESOURCE_EXHAUSTION") throw readFailure(error);
    throw new TemplateSyntaxError(
      `JSON this tool cannot place in the text: ${firstLine(error.message)}`,
      lineAt(error.pos[0]),
    );
  }
  return { ok: true, read: { value, document, lineCounter } };
}

/** The quoted key that starts at `offset`, as written. */
function keyAt(text: string, offset: number): string {
  const match = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(offset));
  return match?.[0] ?? "here";
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
