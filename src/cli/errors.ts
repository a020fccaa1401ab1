import { placeOf, TemplateEditError, type TemplateSource, TemplateSyntaxError } from "../cfn-yaml";
import { errorMessage, TemplateShapeError } from "../pushdown";

/** The exit codes of every command, as the README's tables give them. */
export const EXIT = {
  /** Done; nothing wrong found. */
  ok: 0,
  /** The command ran and the answer is bad: `--check` or `audit` findings, a failed deployment. */
  problems: 1,
  /** The command could not run: wrong arguments, unreadable input, no credentials, AWS unreachable. */
  unusable: 2,
} as const;

/** One of {@link EXIT}'s codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Why a command stopped, and the exit code it ends with. `usage` marks a wrong command line, whose
 * message points at `--help`; `line` the line of the input file the problem is on.
 */
export class CliError extends Error {
  public override readonly name = "CliError";
  public readonly exitCode: ExitCode;
  public readonly usage: boolean;
  public readonly line: number | undefined;

  public constructor(
    message: string,
    options: { exitCode?: ExitCode; usage?: boolean; line?: number | undefined } = {},
  ) {
    super(message);
    this.exitCode = options.exitCode ?? EXIT.unusable;
    this.usage = options.usage ?? false;
    this.line = options.line;
  }
}

/** A command line the CLI cannot run. */
export function usageError(message: string): CliError {
  return new CliError(message, { usage: true });
}

/**
 * One line saying what is wrong with which file and where, never a stack trace.
 *
 * @param error - what was thrown while reading or rewriting the template
 * @param file - the name to show (`<stdin>` for standard input)
 * @param source - the template as read, when it was, to find the line of a shape problem
 */
export function errorLine(error: unknown, file: string, source?: TemplateSource): string {
  if (error instanceof CliError)
    return error.usage
      ? `cors-key-pushdown: ${error.message} (see --help)`
      : `${place(file, error.line)}: ${error.message}`;
  if (error instanceof TemplateSyntaxError) {
    const message = error.message.replace(/^line \d+: /, "");
    return `${place(file, error.line)}: ${message}`;
  }
  if (error instanceof TemplateEditError) return `${place(file, error.line)}: ${error.message}`;
  if (error instanceof TemplateShapeError) {
    const line = source === undefined ? undefined : placeOf(source, error.path).line;
    const message =
      error.path.length === 0
        ? `not a CloudFormation template: expected a map of sections (Resources, ...), found ${error.found}`
        : error.message;
    return `${place(file, line)}: ${message}`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return `${file}: no such file`;
  if (code === "EISDIR") return `${file}: is a directory, not a template`;
  if (code === "EACCES") return `${file}: permission denied`;
  if (error instanceof RangeError) return `${file}: template too deeply nested to read`;
  const message = errorMessage(error);
  return `${file}: ${typeof code === "string" ? `${code}: ` : ""}${firstLine(message)}`;
}

/** `file:line`, or the file alone when the line is not known. */
export function place(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
