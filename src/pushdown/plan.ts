import {
  type ApiModel,
  explicitApis,
  IMPLICIT_API_ID,
  implicitApi,
  mayRequireKey,
  readGlobalApi,
} from "./apis";
import { applyEdits, type Edit } from "./edits";
import type { Json, JsonMap } from "./json";
import { isTruthy } from "./json";
import { type ParameterValues, resolveParameterRef } from "./parameters";
import type { ApiOutcome, OptOut, PushdownReport, RouteOutcome, TemplatePath, Warning } from "./report";
import { collectRoutes, methodName, type Route, routeAt, routeAuthPath, routeName } from "./routes";
import { type Decision, decide, integratedRoutes, routesByApi } from "./strategy";
import { expectMap, resourcesOf } from "./template";

/** The rewritten template and what was done to it. */
export interface PushdownResult {
  readonly template: JsonMap;
  readonly report: PushdownReport;
}

/**
 * Rewrites a SAM template so that CORS preflights no longer require an API key while every other method
 * still does. Pure: the input is never modified, and every part the rewrite does not change is returned
 * as the very same object.
 *
 * @param template - the template as CloudFormation hands it to a macro (parsed JSON)
 * @returns the rewritten template and a report of every API, route, opt-out and warning
 * @throws TemplateShapeError when a part the rewrite must read is not of the shape SAM accepts
 */
export function pushDownApiKeys(template: Json): PushdownResult {
  const { root, edits, report } = planPushdown(template);
  return { template: applyEdits(root, edits), report };
}

/** The edits the rewrite would make, without making them: for callers that edit another form (YAML). */
export interface PushdownPlan {
  readonly root: JsonMap;
  readonly edits: readonly Edit[];
  readonly report: PushdownReport;
}

/**
 * Decides the rewrite: one edit per changed key, each a path from the template root.
 *
 * @param template - the template as parsed JSON
 * @param parameterValues - the stack's parameter values, where known (defaults are used otherwise)
 * @throws TemplateShapeError when a part the rewrite must read is not of the shape SAM accepts
 */
export function planPushdown(template: Json, parameterValues: ParameterValues = {}): PushdownPlan {
  const root = expectMap(template, []);
  // A template without any key requirement is returned untouched, however malformed the rest: SAM judges it.
  if (!mayRequireKey(root)) return { root, edits: [], report: EMPTY_REPORT };
  const resources = resourcesOf(root);
  const globals = readGlobalApi(root);
  const explicit = explicitApis(resources, globals);
  const { routes, hidden } = collectRoutes(resources, new Set(explicit.map((api) => api.id)));
  const byApi = routesByApi(routes);
  // Once an event targets ServerlessRestApi, SAM builds it from Globals alone, even over an explicit
  // resource of that name (whose own properties it then drops). Routes generated later may create it too.
  const hasImplicit = byApi.has(IMPLICIT_API_ID) || (hidden.length > 0 && globals.auth !== undefined);
  const apis = hasImplicit
    ? [...explicit.filter((api) => api.id !== IMPLICIT_API_ID), implicitApi(globals)]
    : explicit;
  const plan = new Planner();
  for (const api of apis) {
    const resolve = (value: Json | undefined) => resolveParameterRef(value, root, parameterValues);
    if (!isTruthy(resolve(api.apiKeyRequired?.value))) continue;
    const own = integratedRoutes(api, byApi.get(api.id) ?? []);
    const auth = {
      keyOnPreflight: resolve(api.keyOnPreflight?.value),
      defaultAuthorizer: resolve(api.defaultAuthorizer?.value),
    };
    plan.add(api, decide(api, own, auth, hidden), own);
  }
  const edits = plan.edits(globals.auth !== undefined);
  return { root, edits, report: plan.report() };
}

const EMPTY_REPORT: PushdownReport = { apis: [], routes: [], optOuts: [], warnings: [], changes: [] };

class Planner {
  private readonly decided: { api: ApiModel; decision: Decision }[] = [];
  private readonly outcomes: ApiOutcome[] = [];
  private readonly routeOutcomes: RouteOutcome[] = [];
  private readonly optOuts: OptOut[] = [];
  private readonly warnings: Warning[] = [];
  private readonly routeEdits: Edit[] = [];
  /** The report's `changes`: each edit's path, in the order of the edits. */
  private readonly changes: TemplatePath[] = [];

  public add(api: ApiModel, decision: Decision, own: readonly Route[]): void {
    this.decided.push({ api, decision });
    const keyFrom = api.apiKeyRequired?.origin ?? "own";
    const { strategy, reason, exact } = decision;
    this.outcomes.push({
      api: api.id,
      at: api.propertiesPath,
      keyFrom,
      strategy,
      reason,
      exact,
      preflightPaths: preflightPaths(own),
      authorizer: undefined,
      gatewayResponses: undefined,
    });
    for (const message of decision.warnings) this.warnings.push({ at: api.propertiesPath, message });
    // Indexed: for-of allocates an iterator result per route until the code is optimised.
    for (let i = 0; i < own.length; i += 1) this.planRoute(api, decision, own[i] as Route);
  }

  private planRoute(api: ApiModel, decision: Decision, route: Route): void {
    const at = routeAt(route.resource, route.event);
    const name = routeName(route);
    if (route.key === "opt-out") {
      this.optOuts.push({ api: api.id, route: name, at });
      if (decision.strategy === "pushdown") this.routeEdit(dropOptOut(api, route), at);
      return;
    }
    if (decision.strategy !== "pushdown") {
      this.routeOutcomes.push(outcome(api, route, "api-level"));
      return;
    }
    if (route.key === "required") {
      this.routeOutcomes.push(outcome(api, route, "kept"));
      return;
    }
    this.routeOutcomes.push(outcome(api, route, "added"));
    const authIsEmpty = route.auth === undefined || Object.keys(route.auth).length === 0;
    // An AWS_IAM default also needs naming on the route to keep its caller credentials.
    if (authIsEmpty && api.defaultAuthorizer?.value === "AWS_IAM")
      this.routeEdit(set(routeAuthPath(route, "Authorizer"), "AWS_IAM"), at);
    this.routeEdit(set(routeAuthPath(route, "ApiKeyRequired"), api.apiKeyRequired?.value ?? true), at);
  }

  private routeEdit(edit: Edit, _at: TemplatePath): void {
    this.routeEdits.push(edit);
    this.changes.push(edit.path);
  }

  /** The route edits plus the API and Globals edits that go with each strategy. */
  public edits(hasGlobalAuth: boolean): Edit[] {
    const edits = this.routeEdits;
    const apiEditsFrom = edits.length;
    const implicit = this.decided.find(({ api }) => api.implicit);
    const globalAuth = ["Globals", "Api", "Auth"];
    const implicitStrategy = implicit?.decision.strategy ?? "unchanged";
    if (implicitStrategy === "pushdown") edits.push(set([...globalAuth, "ApiKeyRequired"], false));
    if (implicitStrategy === "preflight-exemption")
      edits.push(set([...globalAuth, "AddApiKeyRequiredToCorsPreflight"], false));
    for (const { api, decision } of this.decided) {
      if (api.implicit) continue;
      edits.push(...apiEdits(api, decision.strategy, hasGlobalAuth ? implicitStrategy : "unchanged"));
    }
    for (let i = apiEditsFrom; i < edits.length; i += 1) this.changes.push((edits[i] as Edit).path);
    return edits;
  }

  /** What was decided; call after {@link edits}, which completes the list of changes. */
  public report(): PushdownReport {
    return {
      apis: this.outcomes,
      routes: this.routeOutcomes,
      optOuts: this.optOuts,
      warnings: this.warnings,
      changes: this.changes,
    };
  }
}

/**
 * Edits on an explicit API's own `Auth`. When the implicit API changed a Globals setting this API
 * inherits, the API pins the value it had before, so only the APIs the macro means to change change.
 */
function apiEdits(
  api: ApiModel,
  strategy: Decision["strategy"],
  globalsChange: Decision["strategy"],
): Edit[] {
  const auth = [...api.propertiesPath, "Auth"];
  const key = api.apiKeyRequired as NonNullable<ApiModel["apiKeyRequired"]>;
  const inheritsKey = key.origin === "globals";
  const edits: Edit[] = [];
  if (strategy === "pushdown" && !(inheritsKey && globalsChange === "pushdown")) {
    edits.push(set([...auth, "ApiKeyRequired"], false));
  }
  if (strategy !== "pushdown" && inheritsKey && globalsChange === "pushdown") {
    edits.push(set([...auth, "ApiKeyRequired"], key.value));
  }
  const inheritsExemption = api.keyOnPreflight?.origin !== "own" && api.inheritsGlobalAuth;
  if (strategy === "preflight-exemption" && !(inheritsExemption && globalsChange === "preflight-exemption")) {
    edits.push(set([...auth, "AddApiKeyRequiredToCorsPreflight"], false));
  }
  if (strategy === "unchanged" && inheritsExemption && globalsChange === "preflight-exemption") {
    edits.push(set([...auth, "AddApiKeyRequiredToCorsPreflight"], api.keyOnPreflight?.value ?? true));
  }
  return edits;
}

/**
 * An opt-out is only legal on an API with a key; after pushdown the route simply does not ask for one.
 * Under an AWS_IAM DefaultAuthorizer, SAM gives caller credentials to routes with no Auth at all, so a
 * route whose Auth held only the opt-out keeps a non-empty Auth that changes nothing else:
 * `InvokeRole: NONE` is what SAM reads as "no credentials" and nothing else reads on a route.
 */
function dropOptOut(api: ApiModel, route: Route): Edit {
  const others = Object.keys(route.auth ?? {}).filter((key) => key !== "ApiKeyRequired");
  if (others.length > 0) return { kind: "delete", path: routeAuthPath(route, "ApiKeyRequired") };
  if (api.defaultAuthorizer?.value === "AWS_IAM") return set(routeAuthPath(route), { InvokeRole: "NONE" });
  return { kind: "delete", path: routeAuthPath(route) };
}

function outcome(api: ApiModel, route: Route, protection: RouteOutcome["protection"]): RouteOutcome {
  return {
    api: api.id,
    route: routeName(route),
    at: routeAt(route.resource, route.event),
    method: methodName(route),
    path: typeof route.path === "string" ? route.path : undefined,
    protection,
  };
}

/** The distinct paths SAM adds a preflight to: those of the routes, minus paths with an OPTIONS route. */
function preflightPaths(routes: readonly Route[]): string[] {
  const paths = new Set<string>();
  const answered = new Set<string>();
  for (const route of routes) {
    if (typeof route.path !== "string") continue;
    if (route.method === "options") answered.add(route.path);
    else paths.add(route.path);
  }
  return [...paths].filter((path) => !answered.has(path));
}

function set(path: string[], value: Json): Edit {
  return { kind: "set", path, value };
}
