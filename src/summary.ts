import type { PushdownReport } from "./pushdown";

/** Counts and names from a report: what one log line or a CLI summary shows, never the template. */
export interface ReportSummary {
  readonly apis: { readonly api: string; readonly strategy: string; readonly reason: string }[];
  readonly routesWithKey: number;
  readonly routesAdded: string[];
  readonly optOuts: string[];
  readonly warnings: string[];
  readonly changes: number;
}

/** Names listed per kind; a log line stays readable (and far below CloudWatch's event size) on huge templates. */
const MAX_NAMES = 50;

function capped(names: string[]): string[] {
  return names.length <= MAX_NAMES
    ? names
    : [...names.slice(0, MAX_NAMES), `... and ${names.length - MAX_NAMES} more`];
}

/** Condenses a report into its counts and names (at most 50 names of each kind). */
export function summarize(report: PushdownReport): ReportSummary {
  return {
    apis: report.apis.map(({ api, strategy, reason }) => ({ api, strategy, reason })),
    routesWithKey: report.routes.length,
    routesAdded: capped(
      report.routes.filter((route) => route.protection === "added").map((route) => route.route),
    ),
    optOuts: capped(report.optOuts.map((optOut) => optOut.route)),
    warnings: report.warnings.map((warning) => `${warning.at}: ${warning.message}`),
    changes: report.changes.length,
  };
}
