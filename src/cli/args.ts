import { usageError } from "./errors";
import { MACRO_NAME } from "./transform-list";

/** What the command line asked for. */
export interface Options {
  readonly files: readonly string[];
  readonly output: string | undefined;
  readonly check: boolean;
  readonly report: boolean;
  readonly macroName: string;
  readonly help: boolean;
  readonly version: boolean;
}

/**
 * Reads the options of the rewrite command. Accepts `--opt value` and `--opt=value`; `--` ends options
 * so a file may be called `-x`; a lone `-` is standard input.
 *
 * @throws CliError for unknown options, missing values or the wrong number of files
 */
export function parseArgs(argv: readonly string[]): Options {
  const files: string[] = [];
  let output: string | undefined;
  let macroName = MACRO_NAME;
  const flags = { check: false, report: false, help: false, version: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === "--") {
      files.push(...argv.slice(i + 1));
      break;
    }
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? splitOnce(arg) : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return nonEmpty(inline);
      i += 1;
      return nonEmpty(argv[i]);
    };
    const nonEmpty = (next: string | undefined): string => {
      if (next === undefined || next === "") throw usageError(`${name} needs a value`);
      return next;
    };
    if (name === "-o" || name === "--output") output = value();
    else if (name === "--macro-name") macroName = value();
    else if (name === "--check") flags.check = true;
    else if (name === "--report") flags.report = true;
    else if (name === "-h" || name === "--help") flags.help = true;
    else if (name === "-V" || name === "--version") flags.version = true;
    else if (name.startsWith("-") && name !== "-") throw usageError(`unknown option ${name}`);
    else files.push(arg);
  }
  const options = { files, output, macroName, ...flags };
  if (!options.help && !options.version) validate(options);
  return options;
}

function validate(options: Options): void {
  if (options.files.length === 0) throw usageError("no template given (a file, or - for standard input)");
  // Pre-commit hooks pass every changed file at once, so only --check takes several.
  if (options.files.length > 1 && !options.check)
    throw usageError("only --check takes several templates; rewrite one at a time");
  if (options.check && options.output !== undefined) throw usageError("--check writes no template; drop -o");
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf("=");
  return [arg.slice(0, at), arg.slice(at + 1)];
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
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    const list = Array.isArray(value) ? value : [value];
    if (list.some((item) => item === ""))
      throw usageError(`--${name}: expected a value, got an empty string`);
  }
  return parsed;
}
