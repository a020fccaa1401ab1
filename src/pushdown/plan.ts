import type { ApiModel } from "./apis";
import { type AuthTargets, authSettingEdits } from "./auth-settings";
import { type BodyModel, readBody } from "./body";
import { applyEdits, type Edit } from "./edits";
import { type GatewayResponsesPlan, planGatewayResponses } from "./gateway-responses";
import { describe, isMap, isTruthy, type Json, type JsonMap } from "./json";
import { type ParameterValues, resolveParameterRef } from "./parameters";
import type {
  ApiOutcome,
  AuthorizerOutcome,
  OptOut,
  PushdownReport,
  RouteOutcome,
  RouteProtection,
  TemplatePath,
  Warning,
} from "./report";
import { routeAuthChange, routeAuthEdits } from "./route-auth";
import type { Route } from "./routes";
import { type Decision, decideAuthorizer, decideKey } from "./strategy";
import { expectMap } from "./template";
import { readTemplate, type TemplateModel } from "./walk";

/** The rewritten template and what was done to it. */
export interface PushdownResult {
  readonly template: JsonMap;
  readonly report: PushdownReport;
}

/** The edits the rewrite would make, without making them: for callers that edit another form (YAML). */
export interface PushdownPlan {
  readonly root: JsonMap;
  readonly edits: readonly Edit[];
  readonly report: PushdownReport;
}

/**
 * Rewrites a SAM template so that CORS preflights pass in a browser (no API key, no default authorizer)
 * while every other method keeps exactly the protection it had, and API Gateway's own error answers
 * carry CORS headers. Pure: the input is never modified, and every part the rewrite does not change is
 * returned as the very same object.
 *
 * @param template - the template as CloudFormation hands it to a macro (parsed JSON)
 * @param parameterValues - the stack's parameter values, where known (defaults are used otherwise)
 * @returns the rewritten template and a report of every API, route, opt-out and warning
 * @throws TemplateShapeError when a part the rewrite must read is not of the shape SAM accepts
 */
export function pushDownApiKeys(template: Json, parameterValues: ParameterValues = {}): PushdownResult {
  const { root, edits, report } = planPushdown(template, parameterValues);
  return { template: applyEdits(root, edits), report };
}

/**
 * Decides the rewrite: the edits (each a path from the template root, and where the rewrite read it,
 * the map that holds the key) and the report.
 *
 * @param template - the template as parsed JSON
 * @param parameterValues - the stack's parameter values, where known (defaults are used otherwise)
 * @throws TemplateShapeError when a part the rewrite must read is not of the shape SAM accepts
 */
export function planPushdown(template: Json, parameterValues: ParameterValues = {}): PushdownPlan {
  const root = expectMap(template, []);
  const model = readTemplate(root);
  if (model === undefined) return { root, edits: [], report: EMPTY_REPORT };
  return new Planner(model, parameterValues).plan();
}

const EMPTY_REPORT: PushdownReport = { apis: [], routes: [], optOuts: [], warnings: [], changes: [] };

/** Per-API facts, read once. */
interface ApiFacts {
  readonly api: ApiModel;
  readonly routes: readonly Route[];
  readonly body: BodyModel;
  readonly keyed: boolean;
  readonly authorizer: Json | undefined;
  readonly hasPreflights: boolean;
  /** The API has routes, a body, or may get routes generated later. */
  readonly hasMethods: boolean;
  /** The API is defined by `DefinitionUri` alone, which SAM does not edit. */
  readonly definitionUriOnly: boolean;
}

class Planner {
  private readonly outcomes: ApiOutcome[] = [];
  /** The routes of each keyed API, in template order; the report lists them (opt-outs aside) when read. */
  private readonly keyedRoutes: (readonly Route[])[] = [];
  private readonly optOuts: OptOut[] = [];
  private readonly warnings: Warning[] = [];
  private readonly edits: Edit[] = [];
  private readonly targets = new Map<string, AuthTargets>();
  private readonly responses = new Map<string, GatewayResponsesPlan>();
  private readonly bodies = new Map<string, BodyModel>();

  public constructor(
    private readonly model: TemplateModel,
    private readonly parameterValues: ParameterValues,
  ) {}

  public plan(): PushdownPlan {
    for (const at of this.model.hidden)
      this.warnings.push({
        at,
        message:
          "Fn::ForEach is expanded after the macro runs, so the functions, events or APIs it generates are not seen: no key is taken off an API they could reach (list AWS::LanguageExtensions before CorsKeyPushdown in Transform to let the macro see them)",
      });
    for (const api of this.model.apis) this.planApi(this.facts(api));
    this.planResponsesEdits();
    this.edits.push(...authSettingEdits(this.model.apis, this.targets));
    const edits = this.edits;
    const lists = this.keyedRoutes;
    let changes: readonly TemplatePath[] | undefined;
    let routes: readonly RouteOutcome[] | undefined;
    const report: PushdownReport = {
      apis: this.outcomes,
      // Made when read, like the changes: one array of the right size instead of one grown route by route.
      get routes() {
        routes ??= withoutOptOuts(lists);
        return routes;
      },
      optOuts: this.optOuts,
      warnings: this.warnings,
      // Made when read: the handler only counts the edits.
      get changes() {
        changes ??= edits.map((edit) => edit.path);
        return changes;
      },
    };
    return { root: this.model.root, edits: this.edits, report };
  }

  private resolve(value: Json | undefined): Json | undefined {
    return resolveParameterRef(value, this.model.root, this.parameterValues);
  }

  private facts(api: ApiModel): ApiFacts {
    const body = readBody(api.definitionBody);
    this.bodies.set(api.id, body);
    const all = this.model.routesByApi.get(api.id) ?? [];
    // SAM builds routes into an API with a body only under MergeDefinitions, and then functions' only.
    const routes =
      api.definitionBody === undefined
        ? all
        : api.mergeDefinitions
          ? all.filter((route) => route.ofFunction)
          : [];
    return {
      api,
      routes,
      body,
      keyed: isTruthy(this.resolve(api.auth.ApiKeyRequired?.value)),
      authorizer: this.resolve(api.auth.DefaultAuthorizer?.value),
      hasPreflights: api.cors !== undefined || body.preflightPaths.length > 0,
      hasMethods: routes.length > 0 || api.definitionBody !== undefined || this.model.hidden.length > 0,
      definitionUriOnly: api.definitionBody === undefined && api.hasDefinitionUri && !api.implicit,
    };
  }

  private planApi(facts: ApiFacts): void {
    const { api, routes, keyed, hasPreflights } = facts;
    const hasAuthorizer = isTruthy(facts.authorizer);
    if (!keyed && !(hasAuthorizer && hasPreflights)) return;
    const decision = keyed ? this.decideKey(facts) : undefined;
    const authorizer = hasAuthorizer && hasPreflights ? this.decideAuthorizer(facts) : undefined;
    const targets: AuthTargets = {};
    if (decision?.strategy === "pushdown") targets.ApiKeyRequired = false;
    if (decision?.strategy === "preflight-exemption") targets.AddApiKeyRequiredToCorsPreflight = false;
    if (authorizer?.changed) targets.AddDefaultAuthorizerToCorsPreflight = false;
    this.targets.set(api.id, targets);
    // SAM builds no body for an API without methods, and gateway responses need one.
    const responses =
      this.model.settings.corsHeadersOnErrorResponses && facts.hasMethods
        ? planGatewayResponses(api, facts.body, this.model.responseResources.get(api.id))
        : undefined;
    if (responses) this.responses.set(api.id, responses);
    for (const warning of decision?.warnings ?? []) this.warnings.push(warning);
    if (authorizer?.freed)
      for (const path of facts.body.authorizedPreflights)
        this.warnings.push({
          at: [...api.propertiesPath, "DefinitionBody", "paths", path],
          message: `the mock preflight of ${path} names an authorizer in its own security, which SAM keeps; browsers send no token on a preflight, so remove that security entry`,
        });
    let paths: readonly string[] | undefined;
    this.outcomes.push({
      api: api.id,
      at: api.propertiesPath,
      keyFrom: keyed ? api.auth.ApiKeyRequired?.origin : undefined,
      strategy: decision?.strategy ?? "unchanged",
      reason: decision?.reason ?? "the API requires no key",
      exact: true,
      get preflightPaths() {
        paths ??= preflightPaths(routes, facts.body, api.cors !== undefined);
        return paths;
      },
      authorizer,
      gatewayResponses: responses?.outcome,
    });
    this.planRoutes(facts, decision, authorizer);
  }

  private decideKey(facts: ApiFacts): Decision {
    const { api, routes, body } = facts;
    const keyOnPreflight = api.auth.AddApiKeyRequiredToCorsPreflight;
    let blocked: Route | undefined;
    const keyedOptions: { name: string; at: TemplatePath }[] = [];
    // Indexed, like the walk's loops (see readTemplate): once per route.
    for (let i = 0; i < routes.length; i += 1) {
      const route = routes[i] as Route;
      if (route.pushdownBlocker !== undefined) blocked ??= route;
      if (route.isOptions && route.key === "required") keyedOptions.push({ name: route.route, at: route.at });
    }
    for (const handler of body.keyedHandlers)
      keyedOptions.push({ name: `DefinitionBody ${handler}`, at: [...api.propertiesPath, "DefinitionBody"] });
    return decideKey(
      {
        alreadyExempt: keyOnPreflight !== undefined && !isTruthy(this.resolve(keyOnPreflight.value)),
        definitionUriOnly: facts.definitionUriOnly,
        hasPreflights: facts.hasPreflights,
        hasMethods: facts.hasMethods,
        hasBody: api.definitionBody !== undefined,
        mergeDefinitions: api.mergeDefinitions,
        blockedRoute: blocked && `${blocked.route} (${blocked.pushdownBlocker})`,
        hidden: this.model.hidden[0],
        // SAM resolves a DefaultAuthorizer parameter in place while it reads routes, so which routes see
        // AWS_IAM (and get caller credentials) would depend on their order.
        intrinsicDefaultAuthorizer: isMap(api.auth.DefaultAuthorizer?.value),
        intrinsicInvokeRole: isMap(api.auth.InvokeRole?.value),
        keyedOptions,
        opaqueBody: body.opaque,
      },
      api.propertiesPath,
    );
  }

  private decideAuthorizer(facts: ApiFacts): AuthorizerOutcome {
    const { api, authorizer } = facts;
    const flag = api.auth.AddDefaultAuthorizerToCorsPreflight;
    return decideAuthorizer({
      name: typeof authorizer === "string" ? authorizer : describe(api.auth.DefaultAuthorizer?.value),
      alreadyFreed: flag !== undefined && !isTruthy(this.resolve(flag.value)),
      keep: this.model.settings.keepDefaultAuthorizerOnPreflights,
      definitionUriOnly: facts.definitionUriOnly,
    });
  }

  private planRoutes(
    facts: ApiFacts,
    decision: Decision | undefined,
    authorizer: AuthorizerOutcome | undefined,
  ): void {
    const { api, routes, keyed } = facts;
    const change = routeAuthChange({
      pushdown: decision?.strategy === "pushdown",
      keyValue: api.auth.ApiKeyRequired?.value ?? true,
      iamDefault: facts.authorizer === "AWS_IAM",
      freeAuthorizer: authorizer?.changed === true,
      keepAuthPresence: isMap(api.auth.InvokeRole?.value),
    });
    // Indexed, like the walk's loops (see readTemplate): once per route.
    for (let i = 0; i < routes.length; i += 1) {
      const route = routes[i] as Route;
      routeAuthEdits(route, change, this.edits);
      if (
        change.freeAuthorizer &&
        route.isOptions &&
        isTruthy(route.auth?.Authorizer) &&
        route.auth?.Authorizer !== "NONE"
      )
        this.warnings.push({
          at: route.at,
          message: `${route.route} is an OPTIONS route that names an authorizer itself, which it keeps; browsers send no token on a preflight`,
        });
      if (!keyed) continue;
      if (route.key === "opt-out") {
        this.optOuts.push({ api: api.id, route: route.route, at: route.at });
        continue;
      }
      route.protection = protection(route, decision?.strategy);
    }
    if (keyed) this.keyedRoutes.push(routes);
  }

  /**
   * Gateway responses of the implicit API live in `Globals.Api.GatewayResponses`, which explicit APIs
   * inherit too. An explicit API that would not end up with exactly its own CORS headers (no `Cors` of
   * its own kind, other credentials, a body defining those responses itself, `DefinitionUri`) is pinned
   * out with `IgnoreGlobals: [GatewayResponses]` (keeping, where `Globals` had responses of its own, a
   * copy of what it inherited); where such an API has edits of its own, the implicit API's error
   * answers are left alone. An API whose headers are those of `Globals` needs no copy of its own.
   */
  private planResponsesEdits(): void {
    const implicit = this.model.apis.find((api) => api.implicit);
    const shared = implicit && this.responses.get(implicit.id);
    const heirs = this.model.apis.filter((api) => !api.implicit && api.inheritsGlobalResponses);
    let inGlobals = new Set<string>();
    let misfits: ApiModel[] = [];
    if (implicit && shared && shared.edits.length > 0) {
      // Only a Fn::ForEach in Resources can generate APIs; one inside Events generates routes only.
      const hidden = this.model.hidden.find((path) => path.length === 2);
      misfits = heirs.filter((api) => !this.takesGlobalResponses(api, shared));
      const globalsWritten =
        this.model.globals.api !== undefined && Object.hasOwn(this.model.globals.api, "GatewayResponses");
      // An heir that writes nothing of its own can keep exactly what it had: Globals' responses and its
      // own, merged as SAM merges them, written on it, and Globals ignored.
      const pinnable = (api: ApiModel) => (this.responses.get(api.id)?.edits.length ?? 0) === 0;
      if (hidden)
        this.dropResponses(
          implicit.id,
          `APIs generated later (${hidden.join(".")}) would inherit Globals.Api.GatewayResponses too, and may not take them`,
        );
      else if (globalsWritten && !misfits.every(pinnable))
        this.dropResponses(
          implicit.id,
          `adding them to Globals.Api.GatewayResponses would also change ${misfits.find((api) => !pinnable(api))?.id}, which inherits them`,
        );
      else {
        this.edits.push(...shared.edits);
        for (const api of misfits) {
          this.edits.push(ignoreGlobalResponses(api));
          if (globalsWritten && api.gatewayResponses !== undefined)
            this.edits.push({
              kind: "set",
              path: [...api.propertiesPath, "GatewayResponses"],
              value: JSON.parse(JSON.stringify(api.gatewayResponses)) as Json,
            });
        }
        inGlobals = new Set(shared.outcome.added);
      }
    }
    for (const api of this.model.apis) {
      const plan = this.responses.get(api.id);
      if (plan === undefined || api.implicit) continue;
      const identical =
        heirs.includes(api) && !misfits.includes(api) && shared !== undefined && sameHeaders(plan, shared);
      // [...Properties path (3 keys), "GatewayResponses", type, ...]: a type Globals now carries for it.
      const covered = (edit: Edit) =>
        identical && edit.path[3] === "GatewayResponses" && inGlobals.has(edit.path[4] as string);
      this.edits.push(...plan.edits.filter((edit) => !covered(edit)));
    }
  }

  /**
   * Whether an explicit API inheriting `Globals.Api.GatewayResponses` ends up with its own CORS headers
   * on every error answer once the implicit API's are written there: it writes its own origin on each
   * of them (local values win SAM's merge), sends credentials wherever the implicit API does, and its
   * body defines none of those responses (SAM's property would replace them).
   */
  private takesGlobalResponses(api: ApiModel, shared: GatewayResponsesPlan): boolean {
    const plan = this.responses.get(api.id);
    if (plan === undefined || plan.skipped) return false;
    const credentials = "Access-Control-Allow-Credentials";
    if (Object.hasOwn(shared.headers, credentials) && !Object.hasOwn(plan.headers, credentials)) return false;
    const inBody = this.bodies.get(api.id)?.gatewayResponses ?? {};
    // A type set by an AWS::ApiGateway::GatewayResponse resource must not also come from the body.
    const ownResources = this.model.responseResources.get(api.id);
    return !shared.outcome.added.some((type) => Object.hasOwn(inBody, type) || ownResources?.has(type));
  }

  private dropResponses(api: string, reason: string): void {
    const index = this.outcomes.findIndex((outcome) => outcome.api === api);
    const outcome = this.outcomes[index] as ApiOutcome;
    this.outcomes[index] = { ...outcome, gatewayResponses: { added: [], reason } };
  }
}

/** `IgnoreGlobals` with `GatewayResponses` added: the API keeps the error answers it had. */
function ignoreGlobalResponses(api: ApiModel): Edit {
  const resource = api.propertiesPath.slice(0, 2);
  const written = api.ignoredGlobals;
  return { kind: "set", path: [...resource, "IgnoreGlobals"], value: [...written, "GatewayResponses"] };
}

/** The routes of the keyed APIs but their opt-outs (which the report lists apart). */
function withoutOptOuts(lists: readonly (readonly Route[])[]): Route[] {
  let count = 0;
  for (let l = 0; l < lists.length; l += 1) {
    const list = lists[l] as readonly Route[];
    for (let i = 0; i < list.length; i += 1) if ((list[i] as Route).key !== "opt-out") count += 1;
  }
  const routes: Route[] = new Array(count);
  let next = 0;
  for (let l = 0; l < lists.length; l += 1) {
    const list = lists[l] as readonly Route[];
    for (let i = 0; i < list.length; i += 1) {
      const route = list[i] as Route;
      if (route.key !== "opt-out") routes[next++] = route;
    }
  }
  return routes;
}

function sameHeaders(a: GatewayResponsesPlan | undefined, b: GatewayResponsesPlan): boolean {
  return a !== undefined && a.edits.length > 0 && JSON.stringify(a.headers) === JSON.stringify(b.headers);
}

function protection(route: Route, strategy: Decision["strategy"] | undefined): RouteProtection {
  const isOptions = route.isOptions;
  if (strategy === "pushdown") {
    if (route.key === "required") return "kept";
    return isOptions ? "preflight" : "added";
  }
  if (strategy === "preflight-exemption" && isOptions) return "preflight";
  return "api-level";
}

/** The distinct paths that get a preflight: those of the routes and body, minus paths with an OPTIONS handler. */
function preflightPaths(routes: readonly Route[], body: BodyModel, hasCors: boolean): string[] {
  const paths = new Set<string>(hasCors ? body.paths : body.preflightPaths);
  const answered = new Set<string>(body.handlers.map((handler) => handler.split(" ")[0] as string));
  for (const route of routes) {
    const path = route.path;
    if (path === undefined) continue;
    if (route.isOptions) answered.add(path);
    else if (hasCors) paths.add(path);
  }
  return [...paths].filter((path) => !answered.has(path));
}

export type { TemplatePath };
