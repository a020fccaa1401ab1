import { parseArgs as parseNodeArgs } from "node:util";
import { errorMessage } from "../pushdown";
import { usageError } from "./errors";
import { MACRO_NAME } from "./transform-list";

/** How `--check` prints its findings. */
export type CheckFormat = "text" | "json" | "sarif";

const FORMATS: readonly CheckFormat[] = ["text", "json", "sarif"];

/** What the command line asked for. */
export interface Options {
  readonly files: readonly string[];
  /** Where the rewritten template goes; `undefined` or `-` is standard output. */
  readonly output: string | undefined;
  readonly check: boolean;
  readonly report: boolean;
  readonly format: CheckFormat;
  readonly macroName: string;
  readonly help: boolean;
  readonly version: boolean;
}

/**
 * Reads the options of the rewrite and check command line. Accepts `--opt value` and `--opt=value`;
 * `--` ends options so a file may be called `-x`; a lone `-` is standard input (and, after `-o`,
 * standard output).
 *
 * @throws CliError for unknown options, missing values or the wrong number of files
 */
export function parseArgs(argv: readonly string[]): Options {
  const { values, positionals } = strictArgs(() =>
    parseNodeArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        output: { type: "string", short: "o" },
        check: { type: "boolean" },
        report: { type: "boolean" },
        format: { type: "string" },
        "macro-name": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    }),
  );
  const format = values.format ?? "text";
  if (!FORMATS.includes(format as CheckFormat))
    throw usageError(`--format must be one of ${FORMATS.join(", ")}, not ${JSON.stringify(format)}`);
  const options: Options = {
    files: positionals,
    output: values.output,
    check: values.check ?? false,
    report: values.report ?? false,
    format: format as CheckFormat,
    macroName: values["macro-name"] ?? MACRO_NAME,
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (!options.help && !options.version) validate(options, values.format !== undefined);
  return options;
}

function validate(options: Options, formatGiven: boolean): void {
  if (options.files.length === 0) throw usageError("no template given (a file, or - for standard input)");
  // Pre-commit hooks pass every changed file at once, so only --check takes several.
  if (options.files.length > 1 && !options.check)
    throw usageError("only --check takes several templates; rewrite one at a time");
  if (options.check && options.output !== undefined) throw usageError("--check writes no template; drop -o");
  if (!options.check && formatGiven)
    throw usageError("--format is for --check; a rewrite writes the template");
  if (options.files.filter((file) => file === "-").length > 1)
    throw usageError("standard input (-) can be read only once");
}

/**
 * Runs a `parseArgs` call, turning its complaints (unknown option, missing value, stray argument) into a
 * usage {@link CliError}, and refuses empty option values, which are never meant.
 */
export function strictArgs<T extends { values: Record<string, unknown> }>(parse: () => T): T {
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    throw usageError(oneLine(errorMessage(error)));
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    const list = Array.isArray(value) ? value : [value];
    if (list.some((item) => item === ""))
      throw usageError(`--${name}: expected a value, got an empty string`);
  }
  return parsed;
}

/** Node's messages may span lines; the CLI prints one line per problem. */
function oneLine(message: string): string {
  return message.split("\n").join(" ");
}
