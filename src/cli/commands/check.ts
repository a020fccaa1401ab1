import type { Options } from "../args";
import { EXIT } from "../errors";
import { findings } from "../findings";
import { reportText } from "../report-text";
import type { Rewritten } from "../rewrite-text";
import { type Context, displayName, load, place } from "../template-input";

/** Lists what the macro would change in each template; exit code 0, 1 (problems) or 2 (bad input). */
export async function checkCommand(options: Options, context: Context): Promise<number> {
  const { io, style } = context;
  let exit = 0;
  for (const file of options.files) {
    const name = displayName(file);
    const loaded = await load(file, options, context);
    if (loaded === undefined) {
      exit = EXIT.unusable;
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
      const line = rewritten.lines.nearestLine(warning.at);
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
