import { editTemplateText, placeOf, type TextEdit } from "../../cfn-yaml";
import type { Options } from "../args";
import { CliError, EXIT, errorLine } from "../errors";
import type { InlinedBody } from "../includes";
import { sameFile, writeFileAtomic } from "../io";
import { reportText } from "../report-text";
import { type Context, load } from "../template-input";
import { transformEdits } from "../transform-list";

/** Rewrites one template to standard output or `-o FILE`; exit code 0, or 2 when it cannot. */
export async function rewriteCommand(options: Options, context: Context): Promise<number> {
  const { io, style } = context;
  const file = options.files[0] as string;
  const loaded = await load(file, options.macroName, context);
  if ("failure" in loaded) {
    io.stderr(`${loaded.failure}\n`);
    return EXIT.unusable;
  }
  const { name, source, plan } = loaded;
  const transform = transformEdits(loaded.template, options.macroName);
  const edits: TextEdit[] = [...plan.edits, ...transform];
  let text: string;
  try {
    refuseEditsInIncludes(edits, loaded.inlined);
    // Nothing to change: the input comes back as it was, byte for byte.
    text = editTemplateText(source, edits).text;
  } catch (error) {
    io.stderr(`${errorLine(error, name, source)}\n`);
    return EXIT.unusable;
  }
  const output = options.output;
  if (output === undefined || output === "-") io.stdout(text);
  else if (!(edits.length === 0 && file !== "-" && sameFile(file, output))) {
    try {
      writeFileAtomic(output, Buffer.from(text, "utf8"));
    } catch (error) {
      io.stderr(`${errorLine(error, output)} (nothing was written)\n`);
      return EXIT.unusable;
    }
  }
  const locate = (path: readonly string[]) => placeOf(source, path);
  const removed = transform.length > 0 ? options.macroName : undefined;
  if (options.report) io.stderr(reportText(name, plan.report, removed, style, locate));
  else
    for (const warning of plan.report.warnings) {
      const { line, column } = locate(warning.at);
      io.stderr(
        `${style.bold(`${name}:${line}:${column}`)}: ${style.yellow("warning")}: ${warning.message}\n`,
      );
    }
  return EXIT.ok;
}

/** The core never edits inside an API's body; a body read from an `AWS::Include` file must stay so. */
function refuseEditsInIncludes(edits: readonly TextEdit[], inlined: readonly InlinedBody[]): void {
  for (const edit of edits)
    for (const body of inlined)
      if (body.at.every((step, index) => edit.path[index] === step))
        throw new CliError(
          `the rewrite would edit the DefinitionBody included from ${body.location}; edit that file instead`,
        );
}
