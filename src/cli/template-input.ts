import { readFileSync } from "node:fs";
import type { JsonMap } from "../pushdown";
import type { Options } from "./args";
import { errorLine } from "./errors";
import type { CliIo } from "./io";
import { type Rewritten, rewriteTemplate } from "./rewrite-text";
import type { Style } from "./style";

/** Reads all of standard input; only called when a template is given as `-`. */
export type StdinReader = () => Promise<string>;

/** What the rewrite and check commands need from their surroundings. */
export interface Context {
  readonly io: CliIo;
  readonly style: Style;
  readonly stdin: StdinReader;
}

const STDIN_NAME = "<stdin>";

/**
 * Reads a template file (or standard input) and rewrites it; a problem is reported on standard error
 * and answered with `undefined`.
 */
export async function load(
  file: string,
  options: Options,
  context: Context,
): Promise<{ rewritten: Rewritten; source: JsonMap } | undefined> {
  let text: string | undefined;
  try {
    text = file === "-" ? await context.stdin() : readFileSync(file, "utf8");
    const rewritten = rewriteTemplate(text, options.macroName);
    // The rewrite only adds Auth keys and flips ApiKeyRequired, so route paths read the same before and after.
    return { rewritten, source: rewritten.template };
  } catch (error) {
    context.io.stderr(`${errorLine(error, displayName(file), text)}\n`);
    return undefined;
  }
}

/** The name a file is shown under: `<stdin>` for standard input. */
export function displayName(file: string): string {
  return file === "-" ? STDIN_NAME : file;
}

/** `file:line`, or the file alone when the line is not known. */
export function place(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}
