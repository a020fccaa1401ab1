import { writeFileSync } from "node:fs";
import type { Options } from "../args";
import { EXIT, errorLine } from "../errors";
import { reportText } from "../report-text";
import { type Context, displayName, load } from "../template-input";

/** Rewrites one template to stdout or `-o FILE`; exit code 0 or 2. */
export async function rewriteCommand(options: Options, context: Context): Promise<number> {
  const { io, style } = context;
  const file = options.files[0] as string;
  const name = displayName(file);
  const loaded = await load(file, options, context);
  if (loaded === undefined) return EXIT.unusable;
  const { rewritten } = loaded;
  if (options.output === undefined) io.stdout(rewritten.output);
  else {
    try {
      writeFileSync(options.output, rewritten.output);
    } catch (error) {
      io.stderr(`${errorLine(error, options.output)}\n`);
      return EXIT.unusable;
    }
  }
  const removed = rewritten.listsMacro ? options.macroName : undefined;
  if (options.report) io.stderr(reportText(name, rewritten.report, removed, style));
  else
    for (const warning of rewritten.report.warnings)
      io.stderr(`${name}: ${style.yellow("warning")}: ${warning.at.join(".")}: ${warning.message}\n`);
  if (rewritten.fidelity === "document")
    io.stderr(
      `${name}: note: the layout around the changes could not be kept exactly; comments and tags are kept\n`,
    );
  if (rewritten.fidelity === "fresh")
    io.stderr(`${name}: ${style.yellow("warning")}: the YAML was written afresh; comments were lost\n`);
  return 0;
}
