import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { placeOf, readTemplateSource, type TemplateSource } from "../cfn-yaml";
import { type JsonMap, type PushdownPlan, planPushdown, TemplateShapeError } from "../pushdown";
import { CliError, errorLine } from "./errors";
import { type InlinedBody, inlineIncludes } from "./includes";
import { type CliIo, decodeUtf8, type StdinReader } from "./io";
import type { Style } from "./style";
import { macroPlacement } from "./transform-list";

/** What the rewrite and check commands need from their surroundings. */
export interface Context {
  readonly io: CliIo;
  readonly style: Style;
  readonly stdin: StdinReader;
}

/** A template file as read, and what the core decided for it. */
export interface LoadedTemplate {
  /** The name to show: the file as given, `<stdin>` for standard input. */
  readonly name: string;
  readonly source: TemplateSource;
  /** The template as written (its `AWS::Include` bodies not inlined). */
  readonly template: JsonMap;
  /** The core's plan, made on the template with local `AWS::Include` bodies inlined. */
  readonly plan: PushdownPlan;
  readonly inlined: readonly InlinedBody[];
  /** Where `Transform` lists the macro, relative to the SAM transform. */
  readonly placement: ReturnType<typeof macroPlacement>;
}

const STDIN_NAME = "<stdin>";

/** Why a template could not be loaded: one line naming the file and, where known, the line. */
export interface LoadFailure {
  readonly name: string;
  readonly failure: string;
}

/** Reads a template file (or standard input) and runs the core on it; a problem is answered, not thrown. */
export async function load(
  file: string,
  macroName: string,
  context: Context,
): Promise<LoadedTemplate | LoadFailure> {
  const name = displayName(file);
  let source: TemplateSource | undefined;
  try {
    const bytes = file === "-" ? await context.stdin() : readFileSync(file);
    source = readTemplateSource(decodeUtf8(bytes));
    const template = templateMap(source);
    const lineOf = (path: readonly string[]) => placeOf(source as TemplateSource, path).line;
    // AWS::Include paths are relative to the template; standard input has the working folder.
    const { template: decided, inlined } = inlineIncludes(
      template,
      file === "-" ? process.cwd() : dirname(file),
      lineOf,
    );
    const plan = planPushdown(decided);
    return {
      name,
      source,
      template,
      plan,
      inlined,
      placement: macroPlacement(template, macroName),
    };
  } catch (error) {
    return { name, failure: errorLine(error, name, source) };
  }
}

/** The template's sections; a file without `Resources` is not a template. */
function templateMap(source: TemplateSource): JsonMap {
  const { value } = source;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TemplateShapeError([], "a map of sections", describeKind(value));
  if (!Object.hasOwn(value, "Resources"))
    throw new CliError("not a CloudFormation template: it has no Resources section");
  const resources = value.Resources;
  if (typeof resources !== "object" || resources === null || Array.isArray(resources))
    throw new TemplateShapeError(["Resources"], "a map of resources", describeKind(resources));
  return value;
}

function describeKind(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

/** The name a file is shown under: `<stdin>` for standard input. */
export function displayName(file: string): string {
  return file === "-" ? STDIN_NAME : file;
}
