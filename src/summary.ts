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

/** Condenses a report into its counts and names. */
export function summarize(report: PushdownReport): ReportSummary {
  return {
    apis: report.apis.map(({ api, strategy, reason }) => ({ api, strategy, reason })),
    routesWithKey: report.routes.length,
    routesAdded: report.routes.filter((route) => route.protection === "added").map((route) => route.route),
    optOuts: report.optOuts.map((optOut) => optOut.route),
    warnings: report.warnings.map((warning) => `${warning.at}: ${warning.message}`),
    changes: report.changes.length,
  };
}
