import type { ApiOutcome, JsonMap, PushdownReport, TemplatePath } from "../pushdown";
import { isTruthy, valueAt } from "../pushdown/json";
import { shownPreflights } from "./report-text";
import type { macroPlacement } from "./transform-list";

/** How bad a finding is, in SARIF's words: only errors fail `--check`. */
export type Level = "error" | "warning" | "note";

/** What `--check` looks for; each finding names one of these. */
export const RULES = {
  "preflight-requires-api-key": {
    name: "PreflightRequiresApiKey",
    summary: "CORS preflights require the API key",
    help: "Browsers send CORS preflights (OPTIONS) without custom headers, so an API key requirement on them answers 403 and the real request is never sent. The CorsKeyPushdown macro (listed first in Transform) or `cors-key-pushdown TEMPLATE -o TEMPLATE` moves the key to the routes or exempts the preflights.",
  },
  "preflight-requires-authorizer": {
    name: "PreflightRequiresAuthorizer",
    summary: "CORS preflights carry the default authorizer",
    help: "Browsers send CORS preflights without credentials, so a DefaultAuthorizer on them answers 401 or 403. The macro sets Auth.AddDefaultAuthorizerToCorsPreflight: false.",
  },
  "error-responses-without-cors": {
    name: "ErrorResponsesWithoutCors",
    summary: "API Gateway's own error answers carry no CORS headers",
    help: "When API Gateway itself answers (a missing key, throttling, an authorizer's denial), the answer has no CORS headers and the browser shows a CORS error instead of the status. The macro adds CORS headers to the DEFAULT_4XX and DEFAULT_5XX gateway responses.",
  },
  "macro-after-sam": {
    name: "MacroAfterSam",
    summary: "The macro is listed after AWS::Serverless-2016-10-31",
    help: "Transforms run in the order listed; after SAM, the macro only sees SAM's output and fixes nothing. List CorsKeyPushdown first.",
  },
  "rewrite-warning": {
    name: "RewriteWarning",
    summary: "Something the rewrite could not do as usual",
    help: "The rewrite's own warnings: each says what differs and why.",
  },
} as const;

/** One of the {@link RULES}. */
export type RuleId = keyof typeof RULES;

/** Something `--check` found, at a place in the template. */
export interface Finding {
  readonly rule: RuleId;
  readonly level: Level;
  /** The part of the template it is about; the caller finds its line. */
  readonly at: TemplatePath;
  readonly message: string;
}

/** What the findings of one template are made from. */
export interface CheckInput {
  readonly report: PushdownReport;
  /** The template the core decided on (local `AWS::Include` bodies inlined). */
  readonly template: JsonMap;
  readonly placement: ReturnType<typeof macroPlacement>;
  readonly macroName: string;
}

/**
 * The findings of `--check` for one template: an error for each API whose CORS preflights require the
 * key or carry its default authorizer, a warning for error answers without CORS headers and for each
 * of the rewrite's warnings. With the macro listed before SAM, CloudFormation fixes the template at
 * deploy, so the errors are notes; listed after SAM, a finding of its own says so.
 */
export function checkFindings(input: CheckInput): Finding[] {
  const { report, template, placement } = input;
  const fixedAtDeploy = placement === "before-sam";
  const problem: Level = fixedAtDeploy ? "note" : "error";
  const found: Finding[] = [];
  const stillKeyed = new Set<PushdownReport["warnings"][number]>();
  for (const api of report.apis) {
    // An API the macro cannot free leaves its preflights keyed: the report's warning says why.
    const kept = report.warnings.find(
      (warning) =>
        warning.preflightsKeepKey === true &&
        api.strategy === "unchanged" &&
        warning.at.join("\u0000") === api.at.join("\u0000"),
    );
    if (kept) {
      stillKeyed.add(kept);
      found.push({
        rule: "preflight-requires-api-key",
        level: problem,
        at: keyPath(api),
        message: `API ${api.api}: CORS ${kept.message}`,
      });
    }
    if (trapsPreflights(api, report, template))
      found.push({
        rule: "preflight-requires-api-key",
        level: problem,
        at: keyPath(api),
        message: keyMessage(api, report, template),
      });
    const authorizer = api.authorizer;
    if (authorizer?.changed)
      found.push({
        rule: "preflight-requires-authorizer",
        level: problem,
        at: firstWritten(template, [[...api.at, "Auth", "DefaultAuthorizer"], GLOBAL_AUTHORIZER], api.at),
        message: `API ${api.api}: CORS preflights carry the default authorizer ${authorizer.name}, so browsers get 401 or 403 on them; the macro would set Auth.AddDefaultAuthorizerToCorsPreflight: false`,
      });
    const added = api.gatewayResponses?.added ?? [];
    if (added.length > 0)
      found.push({
        rule: "error-responses-without-cors",
        level: fixedAtDeploy ? "note" : "warning",
        at: firstWritten(
          template,
          [
            [...api.at, "Cors"],
            ["Globals", "Api", "Cors"],
          ],
          api.at,
        ),
        message: `API ${api.api}: API Gateway's own error answers carry no CORS headers, so browsers show a CORS error instead of the status; the macro would add them to ${added.join(", ")}`,
      });
  }
  if (placement === "after-sam" && found.some((finding) => finding.level === "error"))
    found.push({
      rule: "macro-after-sam",
      level: "error",
      at: ["Transform"],
      message: `${input.macroName} is listed after AWS::Serverless-2016-10-31 in Transform, so it would see SAM's output and fix nothing; list it first`,
    });
  for (const warning of report.warnings)
    if (!stillKeyed.has(warning))
      found.push({ rule: "rewrite-warning", level: "warning", at: warning.at, message: warning.message });
  return found;
}

/** 1 when some finding is an error, else 0. */
export function exitCodeOf(findings: readonly Finding[]): 0 | 1 {
  return findings.some((finding) => finding.level === "error") ? 1 : 0;
}

const GLOBAL_AUTHORIZER = ["Globals", "Api", "Auth", "DefaultAuthorizer"];

/**
 * Whether SAM would generate preflights that require the API's key. An API the macro leaves alone is
 * the report's warnings' business. Otherwise every path in `preflightPaths` gets such a preflight; so
 * do a DefinitionBody's paths, routes SAM generates later (Fn::ForEach: no routes to see) and paths
 * only known at deploy. An API whose every path has an OPTIONS route of the user's own gets none.
 */
export function trapsPreflights(api: ApiOutcome, report: PushdownReport, template: JsonMap): boolean {
  if (api.strategy === "unchanged") return false;
  if (api.preflightPaths.length > 0) return true;
  // An OPTIONS route that inherits the key answers its path's preflight with 403 until the macro frees it.
  if (inheritingHandlers(api, report).length > 0) return true;
  if (isTruthy(valueAt(template, [...api.at, "DefinitionBody"]))) return true;
  const paths = [
    ...report.routes.filter((route) => route.api === api.api).map((route) => route.path),
    ...report.optOuts
      .filter((optOut) => optOut.api === api.api)
      .map((optOut) => valueAt(template, [...optOut.at, "Properties", "Path"])),
  ];
  return paths.length === 0 || paths.some((path) => typeof path !== "string");
}

/** Where the key requirement is written: the API's own `Auth` or `Globals.Api.Auth`. */
function keyPath(api: ApiOutcome): TemplatePath {
  const auth = api.keyFrom === "globals" ? ["Globals", "Api", "Auth"] : [...api.at, "Auth"];
  return [...auth, "ApiKeyRequired"];
}

/** The paths of the API's own OPTIONS routes that inherit its key (the report calls them preflights). */
function inheritingHandlers(api: ApiOutcome, report: PushdownReport): string[] {
  return report.routes
    .filter((route) => route.api === api.api && route.protection === "preflight")
    .map((route) => `${route.path ?? "?"} (an OPTIONS route of yours that inherits the key)`);
}

function keyMessage(api: ApiOutcome, report: PushdownReport, template: JsonMap): string {
  const paths = [...api.preflightPaths, ...inheritingHandlers(api, report)];
  const shown = shownPreflights(paths);
  const hasBody = isTruthy(valueAt(template, [...api.at, "DefinitionBody"]));
  const which =
    shown.length > 0
      ? shown.join(", ")
      : hasBody
        ? "the paths of its DefinitionBody"
        : "every CORS preflight";
  const where = api.keyFrom === "globals" ? "Globals.Api.Auth.ApiKeyRequired" : "Auth.ApiKeyRequired";
  const fix =
    api.strategy === "pushdown"
      ? `the macro would move the key from ${where} to the routes`
      : "the macro would set Auth.AddApiKeyRequiredToCorsPreflight: false";
  return `API ${api.api}: CORS preflights require the API key (${which}); ${fix}`;
}

/** The first of `paths` written in the template, else `fallback`. */
function firstWritten(
  template: JsonMap,
  paths: readonly TemplatePath[],
  fallback: TemplatePath,
): TemplatePath {
  return paths.find((path) => valueAt(template, path) !== undefined) ?? fallback;
}
