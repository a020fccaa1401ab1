import type { PushdownReport } from "../pushdown";

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
    routesAdded: addedRouteNames(report.routes),
    optOuts: capped(report.optOuts.map((optOut) => optOut.route)),
    warnings: report.warnings.map((warning) => `${warning.at}: ${warning.message}`),
    changes: report.changes.length,
  };
}

/** Like `capped` on the names of the routes that received a key, without listing hundreds first. */
function addedRouteNames(routes: PushdownReport["routes"]): string[] {
  const names: string[] = [];
  let added = 0;
  // Indexed: for-of allocates an iterator result per route until the code is optimised.
  for (let i = 0; i < routes.length; i += 1) {
    const route = routes[i] as PushdownReport["routes"][number];
    if (route.protection !== "added") continue;
    added += 1;
    if (added <= MAX_NAMES) names.push(route.route);
  }
  if (added > MAX_NAMES) names.push(`... and ${added - MAX_NAMES} more`);
  return names;
}
