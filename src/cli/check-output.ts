import { isAbsolute } from "node:path";
import type { Finding, Level } from "./findings";
import { RULES, type RuleId } from "./findings";
import type { Style } from "./style";

/** A finding placed in a file: 1-based line and column. */
export interface PlacedFinding extends Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A template `--check` could not read, with the one-line reason printed on standard error. */
export interface CheckFailure {
  readonly file: string;
  readonly message: string;
}

/** One line per finding, as compilers and linters print them: `file:line:col: level: message [rule]`. */
export function textLine(finding: PlacedFinding, style: Style): string {
  const colour: Record<Level, (text: string) => string> = {
    error: style.red,
    warning: style.yellow,
    note: style.yellow,
  };
  const where = style.bold(`${finding.file}:${finding.line}:${finding.column}`);
  return `${where}: ${colour[finding.level](finding.level)}: ${finding.message} ${style.dim(`[${finding.rule}]`)}\n`;
}

/** The findings as one JSON document, for scripts. */
export function jsonReport(findings: readonly PlacedFinding[], failures: readonly CheckFailure[]): string {
  const entries = findings.map(({ file, line, column, level, rule, message }) => ({
    file,
    line,
    column,
    level,
    rule,
    message,
  }));
  return `${JSON.stringify({ findings: entries, failures }, null, 2)}\n`;
}

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * The findings as a SARIF 2.1.0 log, one result per finding with its file, line, column and rule, so
 * GitHub code scanning and other SARIF readers show them on the pull request. Templates that could
 * not be read are tool execution notifications, and make the run unsuccessful.
 */
export function sarifLog(
  findings: readonly PlacedFinding[],
  failures: readonly CheckFailure[],
  version: string,
): string {
  const ids = Object.keys(RULES) as RuleId[];
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "cors-key-pushdown",
            version,
            rules: ids.map((id) => ({
              id,
              name: RULES[id].name,
              shortDescription: { text: RULES[id].summary },
              fullDescription: { text: RULES[id].help },
              help: { text: RULES[id].help },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: failures.length === 0,
            toolExecutionNotifications: failures.map((failure) => ({
              level: "error",
              message: { text: failure.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(failure.file) } } }],
            })),
          },
        ],
        results: findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ids.indexOf(finding.rule),
          level: finding.level,
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: fileUri(finding.file) },
                region: { startLine: finding.line, startColumn: finding.column },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * A file name as a URI reference: relative names stay relative (code scanning resolves them against
 * the repository), absolute ones become `file://` URIs; every segment is percent-encoded.
 */
export function fileUri(file: string): string {
  if (file === "<stdin>") return "stdin";
  const slashed = file.replace(/\\/g, "/");
  const encoded = slashed
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
  if (isAbsolute(file)) return `file://${encoded.startsWith("/") ? "" : "/"}${encoded}`;
  return encoded.replace(/^(\.\/)+/, "");
}
