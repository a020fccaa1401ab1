import type { PushdownReport } from "../pushdown";

/** What one log line says about a rewrite: counts, and names up to a limit; never the template. */
export interface ReportSummary {
  readonly apiCount: number;
  readonly apis: readonly {
    readonly api: string;
    readonly strategy: string;
    readonly reason: string;
    readonly authorizer?: string;
    readonly gatewayResponses?: readonly string[];
  }[];
  readonly routesWithKey: number;
  readonly routesAdded: readonly string[];
  readonly optOuts: readonly string[];
  readonly warnings: readonly string[];
  readonly changes: number;
}

/** Entries listed per kind, and characters per text: a line stays readable on huge templates. */
const MAX_ITEMS = 50;
const MAX_TEXT = 500;
/**
 * CloudWatch Logs refuses events over 256 KB (262,144 bytes with 26 bytes of overhead); a line over
 * this budget is cut down to its counts, so the log is never lost.
 */
export const MAX_LOG_LINE_BYTES = 200_000;

function text(value: string): string {
  return value.length <= MAX_TEXT ? value : `${value.slice(0, MAX_TEXT)}...`;
}

/** The first {@link MAX_ITEMS} items, then one entry saying how many more there were. */
function capped<T>(items: readonly T[], name: (item: T) => string): string[] {
  const names = items.slice(0, MAX_ITEMS).map((item) => text(name(item)));
  if (items.length > MAX_ITEMS) names.push(`... and ${items.length - MAX_ITEMS} more`);
  return names;
}

/**
 * Condenses a report into counts and capped lists of names.
 *
 * @param changes - how many keys the rewrite set or deleted (the plan's edit count)
 */
export function summarize(report: PushdownReport, changes: number): ReportSummary {
  let routesWithKey = 0;
  let added = 0;
  const addedNames: string[] = [];
  // Indexed, like the rewrite's per-route loops (readTemplate says why); names only for the first few.
  const routes = report.routes;
  for (let i = 0; i < routes.length; i += 1) {
    const route = routes[i] as PushdownReport["routes"][number];
    if (route.protection !== "preflight") routesWithKey += 1;
    if (route.protection !== "added") continue;
    added += 1;
    if (added <= MAX_ITEMS) addedNames.push(text(route.route));
  }
  if (added > MAX_ITEMS) addedNames.push(`... and ${added - MAX_ITEMS} more`);
  return {
    apiCount: report.apis.length,
    apis: report.apis.slice(0, MAX_ITEMS).map((outcome) => ({
      api: text(outcome.api),
      strategy: outcome.strategy,
      reason: text(outcome.reason),
      ...(outcome.authorizer
        ? { authorizer: `${outcome.authorizer.freed ? "freed" : "kept"}: ${text(outcome.authorizer.reason)}` }
        : {}),
      ...(outcome.gatewayResponses
        ? { gatewayResponses: capped(outcome.gatewayResponses.added, String) }
        : {}),
    })),
    routesWithKey,
    routesAdded: addedNames,
    optOuts: capped(report.optOuts, (optOut) => optOut.route),
    warnings: capped(report.warnings, (warning) => `${warning.at.join(".")}: ${warning.message}`),
    changes,
  };
}

/**
 * One JSON log line (CloudWatch reads the JSON log format's fields), at most {@link MAX_LOG_LINE_BYTES}.
 *
 * @param entry - the fields to log; a `summary` too large for the budget is replaced by its counts
 */
export function logLine(entry: Record<string, unknown>): string {
  const line = stamped(entry);
  if (Buffer.byteLength(line) <= MAX_LOG_LINE_BYTES) return line;
  const { summary, errorMessage, ...rest } = entry as { summary?: ReportSummary; errorMessage?: unknown };
  const counts = summary && {
    apiCount: summary.apiCount,
    routesWithKey: summary.routesWithKey,
    changes: summary.changes,
    note: "lists left out to keep the line under CloudWatch's event size limit",
  };
  const message = typeof errorMessage === "string" ? { errorMessage: text(errorMessage) } : {};
  return stamped({ ...rest, ...message, ...(counts ? { summary: counts } : {}) });
}

function stamped(fields: Record<string, unknown>): string {
  return `${JSON.stringify({ timestamp: new Date().toISOString(), service: "CorsKeyPushdown", ...fields })}\n`;
}
