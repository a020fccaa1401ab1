import type { ApiOutcome, JsonMap, PushdownReport } from "../pushdown";
import type { Rewritten } from "./rewrite-text";

/** One API whose CORS preflights would require the key, placed in the source. */
export interface Finding {
  readonly line: number | undefined;
  readonly api: string;
  readonly message: string;
}

const SHOWN_PATHS = 5;

/**
 * The APIs the macro would change (pushdown or preflight exemption), each at the line of the
 * `ApiKeyRequired` that makes its preflights require the key, or else of the API itself.
 */
export function findings(rewritten: Rewritten, source: JsonMap): Finding[] {
  const { report, lines } = rewritten;
  const found: Finding[] = [];
  for (const outcome of report.apis) {
    if (outcome.strategy === "unchanged") continue;
    const props =
      outcome.api === "ServerlessRestApi" && outcome.keyFrom === "globals" && !isExplicit(source, outcome.api)
        ? ["Globals", "Api"]
        : ["Resources", outcome.api, "Properties"];
    const keyPath =
      outcome.keyFrom === "globals"
        ? ["Globals", "Api", "Auth", "ApiKeyRequired"]
        : [...props, "Auth", "ApiKeyRequired"];
    const line = lines.line(keyPath) ?? lines.line(props.slice(0, 2)) ?? lines.line(["Globals", "Api"]);
    found.push({ line, api: outcome.api, message: findingText(outcome, report, source) });
  }
  return found;
}

function isExplicit(source: JsonMap, id: string): boolean {
  const resources = source.Resources;
  return (
    typeof resources === "object" &&
    resources !== null &&
    !Array.isArray(resources) &&
    Object.hasOwn(resources, id)
  );
}

function findingText(outcome: ApiOutcome, report: PushdownReport, source: JsonMap): string {
  const paths = preflightPaths(outcome.api, report, source);
  const shown = paths.slice(0, SHOWN_PATHS).map((path) => `OPTIONS ${path}`);
  if (paths.length > SHOWN_PATHS) shown.push(`${paths.length - SHOWN_PATHS} more`);
  const which = shown.length > 0 ? shown.join(", ") : "every CORS preflight";
  const where = outcome.keyFrom === "globals" ? "Globals.Api.Auth.ApiKeyRequired" : "Auth.ApiKeyRequired";
  const fix =
    outcome.strategy === "pushdown"
      ? `the macro would move the key from ${where} to the routes`
      : "the macro would set Auth.AddApiKeyRequiredToCorsPreflight: false";
  return `API ${outcome.api}: CORS preflights require the API key (${which}); ${fix}`;
}

/** The distinct paths of the API's routes: SAM adds one preflight per path. */
function preflightPaths(api: string, report: PushdownReport, source: JsonMap): string[] {
  const paths = new Set<string>();
  for (const route of [...report.routes, ...report.optOuts]) {
    if (route.api !== api) continue;
    const path = valueAt(source, [...route.at, "Properties", "Path"]);
    if (typeof path === "string") paths.add(path);
  }
  return [...paths];
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
