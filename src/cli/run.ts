import { readFileSync, writeFileSync } from "node:fs";
import type { CliIo } from "../cli-io";
import type { JsonMap } from "../pushdown";
import type { Options } from "./args";
import { findings } from "./check";
import { EXIT_BAD_INPUT, errorLine } from "./errors";
import { reportText } from "./report-text";
import { type Rewritten, rewriteTemplate } from "./rewrite";
import { pathSteps } from "./source-lines";
import type { Style } from "./style";

/** Reads all of standard input; only called when a template is given as `-`. */
export type StdinReader = () => Promise<string>;

interface Context {
  readonly io: CliIo;
  readonly style: Style;
  readonly stdin: StdinReader;
}

const STDIN_NAME = "<stdin>";

/** Rewrites one template to stdout or `-o FILE`; exit code 0 or 2. */
export async function rewriteCommand(options: Options, context: Context): Promise<number> {
  const { io, style } = context;
  const file = options.files[0] as string;
  const name = displayName(file);
  const loaded = await load(file, options, context);
  if (loaded === undefined) return EXIT_BAD_INPUT;
  const { rewritten } = loaded;
  if (options.output === undefined) io.stdout(rewritten.output);
  else {
    try {
      writeFileSync(options.output, rewritten.output);
    } catch (error) {
      io.stderr(`${errorLine(error, options.output)}\n`);
      return EXIT_BAD_INPUT;
    }
  }
  const removed = rewritten.listsMacro ? options.macroName : undefined;
  if (options.report) io.stderr(reportText(name, rewritten.report, removed, style));
  else
    for (const warning of rewritten.report.warnings)
      io.stderr(`${name}: ${style.yellow("warning")}: ${warning.at}: ${warning.message}\n`);
  if (rewritten.fidelity === "document")
    io.stderr(
      `${name}: note: the layout around the changes could not be kept exactly; comments and tags are kept\n`,
    );
  if (rewritten.fidelity === "fresh")
    io.stderr(`${name}: ${style.yellow("warning")}: the YAML was written afresh; comments were lost\n`);
  return 0;
}

/** Lists what the macro would change in each template; exit code 0, 1 (problems) or 2 (bad input). */
export async function checkCommand(options: Options, context: Context): Promise<number> {
  const { io, style } = context;
  let exit = 0;
  for (const file of options.files) {
    const name = displayName(file);
    const loaded = await load(file, options, context);
    if (loaded === undefined) {
      exit = EXIT_BAD_INPUT;
      continue;
    }
    const { rewritten, source } = loaded;
    const placement = rewritten.macroPlacement;
    // With the macro listed before SAM, CloudFormation applies the fix at deploy time: nothing to fail.
    const fixedAtDeploy = placement === "before-sam";
    const level = fixedAtDeploy ? style.yellow("note") : style.red("error");
    const problems = findings(rewritten, source);
    for (const finding of problems)
      io.stdout(`${style.bold(place(name, finding.line))}: ${level}: ${finding.message}\n`);
    if (rewritten.changed && problems.length === 0)
      io.stdout(`${style.bold(name)}: ${level}: the macro would change this template\n`);
    if (placement === "after-sam" && rewritten.changed)
      io.stdout(
        `${style.bold(name)}: ${style.red("error")}: ${options.macroName} is listed after AWS::Serverless-2016-10-31 in Transform, so it would see SAM's output and fix nothing; list it first\n`,
      );
    for (const warning of rewritten.report.warnings) {
      const line = rewritten.lines.nearestLine(pathSteps(warning.at));
      io.stdout(`${style.bold(place(name, line))}: ${style.yellow("warning")}: ${warning.message}\n`);
    }
    if (options.report) io.stderr(reportText(name, rewritten.report, undefined, style));
    if (rewritten.changed && !fixedAtDeploy) {
      exit = Math.max(exit, 1);
      io.stderr(fixHint(name, file, rewritten, options.macroName));
    }
  }
  return exit;
}

function fixHint(name: string, file: string, _rewritten: Rewritten, macroName: string): string {
  return `${name}: fix: list ${macroName} first in Transform, or rewrite with: cors-key-pushdown ${file} -o ${file}\n`;
}

async function load(
  file: string,
  options: Options,
  context: Context,
): Promise<{ rewritten: Rewritten; source: JsonMap } | undefined> {
  let text: string | undefined;
  try {
    text = file === "-" ? await context.stdin() : readFileSync(file, "utf8");
    const rewritten = rewriteTemplate(text, options.macroName);
    const source = sourceOf(rewritten, text);
    return { rewritten, source };
  } catch (error) {
    context.io.stderr(`${errorLine(error, displayName(file), text)}\n`);
    return undefined;
  }
}

/** The template as read, for the route paths in check messages. */
function sourceOf(rewritten: Rewritten, _text: string): JsonMap {
  // The rewrite only adds Auth keys and flips ApiKeyRequired, so route paths read the same before and after.
  return rewritten.template;
}

function displayName(file: string): string {
  return file === "-" ? STDIN_NAME : file;
}

function place(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}
