import { version } from "../../../package.json";
import { placeOf } from "../../cfn-yaml";
import type { Options } from "../args";
import { type CheckFailure, jsonReport, type PlacedFinding, sarifLog, textLine } from "../check-output";
import { EXIT } from "../errors";
import { checkFindings, exitCodeOf } from "../findings";
import { reportText } from "../report-text";
import { type Context, type LoadedTemplate, load } from "../template-input";

/**
 * Checks templates without changing them, like a linter: exit 0 when no finding is an error, 1 when
 * one is, 2 when a template cannot be read (the worst over all files).
 */
export async function checkCommand(options: Options, context: Context): Promise<number> {
  const { io, style } = context;
  let exit: number = EXIT.ok;
  const placed: PlacedFinding[] = [];
  const failures: CheckFailure[] = [];
  for (const file of options.files) {
    const loaded = await load(file, options.macroName, context);
    if ("failure" in loaded) {
      io.stderr(`${loaded.failure}\n`);
      failures.push({ file: loaded.name, message: loaded.failure });
      exit = EXIT.unusable;
      continue;
    }
    const findings = checkFindings({
      report: loaded.plan.report,
      template: loaded.plan.root,
      placement: loaded.placement,
      macroName: options.macroName,
    });
    const here = findings.map((finding) => ({
      ...finding,
      file: loaded.name,
      ...placeOf(loaded.source, finding.at),
    }));
    placed.push(...here);
    if (options.format === "text") for (const finding of here) io.stdout(textLine(finding, style));
    if (options.report)
      io.stderr(
        reportText(loaded.name, loaded.plan.report, undefined, style, (path) => placeOf(loaded.source, path)),
      );
    const code = exitCodeOf(findings);
    if (code === EXIT.problems && options.format === "text")
      io.stderr(fixHint(file, loaded, options.macroName));
    exit = Math.max(exit, code);
  }
  if (options.format === "json") io.stdout(jsonReport(placed, failures));
  if (options.format === "sarif") io.stdout(sarifLog(placed, failures, version));
  return exit;
}

/** How to fix the template, as commands that can be pasted into a shell. */
function fixHint(file: string, loaded: LoadedTemplate, macroName: string): string {
  const rewrite =
    file === "-"
      ? "cors-key-pushdown TEMPLATE -o TEMPLATE"
      : `cors-key-pushdown ${shellWord(file)} -o ${shellWord(file)}`;
  return `${loaded.name}: fix: list ${macroName} first in Transform, or rewrite with: ${rewrite}\n`;
}

/**
 * A file name as one shell word: as it is when nothing in it is special, single-quoted otherwise; a
 * name starting with a dash gets `./` so it is not read as an option.
 */
export function shellWord(file: string): string {
  const safe = file.startsWith("-") ? `./${file}` : file;
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(safe)) return safe;
  return `'${safe.replace(/'/g, `'\\''`)}'`;
}
