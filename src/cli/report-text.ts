import type { PushdownReport, RouteProtection } from "../pushdown";
import type { Style } from "./style";

const PROTECTION: Record<RouteProtection, string> = {
  added: "key added",
  kept: "key kept",
  "api-level": "key from the API",
  preflight: "answers preflights, no key",
};

/**
 * A short account of what the rewrite did, one API per paragraph, for `--report` on stderr.
 *
 * @param removedMacro - the transform name taken out of `Transform`, if any
 */
export function reportText(
  file: string,
  report: PushdownReport,
  removedMacro: string | undefined,
  style: Style,
): string {
  const lines = [`${style.bold(file)}: ${headline(report)}`];
  for (const api of report.apis) {
    const strategy = api.strategy === "unchanged" ? style.yellow(api.strategy) : style.green(api.strategy);
    const from = api.keyFrom === "globals" ? " (key from Globals.Api.Auth)" : "";
    lines.push(`  API ${api.api}${from}: ${strategy}: ${api.reason}`);
    for (const route of report.routes.filter((r) => r.api === api.api))
      lines.push(`    ${route.route}: ${PROTECTION[route.protection]}`);
    for (const optOut of report.optOuts.filter((o) => o.api === api.api))
      lines.push(`    ${optOut.route}: opts out of the key`);
  }
  for (const warning of report.warnings)
    lines.push(`  ${style.yellow("warning")}: ${warning.at.join(".")}: ${warning.message}`);
  if (removedMacro !== undefined) lines.push(`  Transform: ${removedMacro} taken out (applied)`);
  return `${lines.join("\n")}\n`;
}

function headline(report: PushdownReport): string {
  if (report.apis.length === 0) return "no API requires an API key; nothing to change";
  const changed = report.apis.filter((api) => api.strategy !== "unchanged").length;
  const added = report.routes.filter((route) => route.protection === "added").length;
  return `${changed} of ${report.apis.length} keyed API(s) changed, key added to ${added} route(s), ${report.changes.length} change(s)`;
}
