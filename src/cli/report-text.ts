import type { Place } from "../cfn-yaml";
import type { ApiOutcome, PushdownReport, RouteProtection, TemplatePath } from "../pushdown";
import type { Style } from "./style";

const PROTECTION: Record<RouteProtection, string> = {
  added: "key added",
  kept: "key kept",
  "api-level": "key from the API",
  preflight: "answers preflights, no key",
};

const SHOWN_PATHS = 5;

/**
 * A short account of what the rewrite does, one API per paragraph, for `--report` on stderr: the
 * strategy and why, the preflights SAM generates, the default authorizer and error answers, each
 * route and how it is protected, opt-outs, and warnings at their line.
 *
 * @param removedMacro - the transform name taken out of `Transform`, if any
 * @param locate - where a part of the template is written
 */
export function reportText(
  file: string,
  report: PushdownReport,
  removedMacro: string | undefined,
  style: Style,
  locate: (path: TemplatePath) => Place,
): string {
  const lines = [`${style.bold(file)}: ${headline(report)}`];
  for (const api of report.apis) {
    const strategy = api.strategy === "unchanged" ? style.yellow(api.strategy) : style.green(api.strategy);
    const from = api.keyFrom === "globals" ? " (key from Globals.Api.Auth)" : "";
    lines.push(`  API ${api.api}${from}: ${strategy}: ${api.reason}`);
    lines.push(...apiDetails(api));
    for (const route of report.routes.filter((r) => r.api === api.api))
      lines.push(`    ${route.route}: ${PROTECTION[route.protection]}`);
    for (const optOut of report.optOuts.filter((o) => o.api === api.api))
      lines.push(`    ${optOut.route}: opts out of the key`);
  }
  for (const warning of report.warnings) {
    const { line, column } = locate(warning.at);
    lines.push(`  ${style.yellow("warning")} (${file}:${line}:${column}): ${warning.message}`);
  }
  if (removedMacro !== undefined) lines.push(`  Transform: ${removedMacro} taken out (applied)`);
  return `${lines.join("\n")}\n`;
}

/** The preflights, default authorizer and error answers of one API, when there is something to say. */
function apiDetails(api: ApiOutcome): string[] {
  const lines: string[] = [];
  const paths = api.preflightPaths;
  if (paths.length > 0) {
    lines.push(`    preflights SAM generates: ${shownPreflights(paths).join(", ")}`);
  }
  const authorizer = api.authorizer;
  if (authorizer !== undefined) {
    const state = authorizer.freed
      ? authorizer.changed
        ? "taken off the preflights"
        : "already off the preflights"
      : "still on the preflights";
    lines.push(`    default authorizer ${authorizer.name}: ${state}: ${authorizer.reason}`);
  }
  const responses = api.gatewayResponses;
  if (responses !== undefined) {
    const what =
      responses.added.length > 0
        ? `CORS headers added to ${responses.added.join(", ")}`
        : "no CORS headers added";
    lines.push(`    error answers: ${what}: ${responses.reason}`);
  }
  return lines;
}

function headline(report: PushdownReport): string {
  if (report.apis.length === 0) return "no API requires an API key; nothing to change";
  const changed = report.apis.filter((api) => api.strategy !== "unchanged").length;
  const added = report.routes.filter((route) => route.protection === "added").length;
  return `${changed} of ${report.apis.length} keyed API(s) changed, key added to ${added} route(s), ${report.changes.length} change(s)`;
}

/** The first few preflight paths as `OPTIONS /path`, then how many more there are. */
export function shownPreflights(paths: readonly string[]): string[] {
  const shown = paths.slice(0, SHOWN_PATHS).map((path) => `OPTIONS ${path}`);
  if (paths.length > SHOWN_PATHS) shown.push(`${paths.length - SHOWN_PATHS} more`);
  return shown;
}
