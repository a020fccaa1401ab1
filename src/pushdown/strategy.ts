import type { ApiModel } from "./apis";
import { bodyOptions } from "./body";
import { isMap, isTruthy, type Json } from "./json";
import type { Strategy } from "./report";
import { type Route, routeName } from "./routes";

/** The strategy chosen for one keyed API, why, and anything the user should hear about it. */
export interface Decision {
  readonly strategy: Strategy;
  readonly reason: string;
  readonly exact: boolean;
  readonly warnings: readonly string[];
}

/** An API's Auth settings after SAM's parameter resolution (which SAM applies to the API's Auth only). */
export interface ResolvedAuth {
  readonly keyOnPreflight: Json | undefined;
  readonly defaultAuthorizer: Json | undefined;
}

/** The template's routes grouped by the API they name, in template order: each API's list is read several times. */
export function routesByApi(routes: readonly Route[]): ReadonlyMap<string | undefined, readonly Route[]> {
  const byApi = new Map<string | undefined, Route[]>();
  // Indexed loops over routes, here and below: code that has not been optimised yet (a macro's Lambda
  // often runs once per container) allocates an iterator result per element of a for-of.
  for (let i = 0; i < routes.length; i += 1) {
    const route = routes[i] as Route;
    const list = byApi.get(route.api);
    if (list) list.push(route);
    else byApi.set(route.api, [route]);
  }
  return byApi;
}

/**
 * Routes whose events SAM turns into methods of this API (it ignores the rest for Auth).
 *
 * @param apiRoutes - the routes that name this API (see {@link routesByApi})
 */
export function integratedRoutes(api: ApiModel, apiRoutes: readonly Route[]): readonly Route[] {
  if (api.definitionBody === undefined) return apiRoutes;
  if (!api.mergeDefinitions) return [];
  return apiRoutes.filter((route) => route.resourceType === "AWS::Serverless::Function");
}

/**
 * Picks how to free an API's preflights while every other method keeps its key.
 *
 * Pushdown is the default. Where SAM would generate something else for a pushed-down route (a
 * DefaultAuthorizer reorders `security` and drops AWS_IAM credentials; an opt-out loses its empty
 * `security: []`; a DefinitionBody ignores event Auth), SAM's own preflight exemption gives exactly the
 * original output instead, unless the API has OPTIONS handlers of its own that the exemption would open.
 *
 * @param own - the API's integrated routes (see {@link integratedRoutes})
 */
export function decide(
  api: ApiModel,
  own: readonly Route[],
  auth: ResolvedAuth,
  hidden: readonly (readonly string[])[] = [],
): Decision {
  if (api.keyOnPreflight !== undefined && !isTruthy(auth.keyOnPreflight))
    return unchanged("AddApiKeyRequiredToCorsPreflight is already false");
  if (api.definitionBody === undefined && api.hasDefinitionUri && !api.implicit) {
    return unchanged("the API is defined by DefinitionUri, which SAM does not edit for Auth");
  }
  const body = bodyOptions(api.definitionBody);
  if (!api.hasCors && body.preflights === 0)
    return unchanged("the API has no Cors, so SAM adds no preflights");
  const hasBody = api.definitionBody !== undefined;
  // SAM emits no method (and no api_key security definition of the API's own) for an API without routes.
  if (!hasBody && own.length === 0 && hidden.length === 0)
    return unchanged("the API has no routes, so SAM adds no preflights");
  const { optOuts, handlers, blocked } = sortRoutes(own);
  const hasDefaultAuthorizer = isTruthy(auth.defaultAuthorizer);
  // With MergeDefinitions SAM builds each route on a blank document and copies back only its operation,
  // so a route's own key would arrive without the api_key security definition.
  // Routes generated after the macro (Fn::ForEach) would get no key if it were pushed down.
  const canPushDown = !hasBody && !api.mergeDefinitions && blocked.length === 0 && hidden.length === 0;
  if (canPushDown && !hasDefaultAuthorizer && optOuts === 0) {
    return {
      strategy: "pushdown",
      reason: "every route now carries the key itself",
      exact: true,
      warnings: handlerWarnings(handlers),
    };
  }
  const openHandlers = [
    ...handlers.map(routeName),
    ...body.handlers.map((p) => `DefinitionBody ${p} options`),
  ];
  if (body.opaque === undefined && openHandlers.length === 0) {
    return {
      strategy: "preflight-exemption",
      reason: `${exemptionCause(hasBody, hasDefaultAuthorizer, api.mergeDefinitions, blocked, hidden)}; SAM's AddApiKeyRequiredToCorsPreflight: false keeps every other method as it was`,
      exact: true,
      warnings: [],
    };
  }
  // SAM resolves a DefaultAuthorizer parameter in place while it reads routes, so which routes see
  // AWS_IAM (and get caller credentials) depends on their order: too uncertain to rewrite routes under.
  if (canPushDown && isMap(api.defaultAuthorizer?.value)) {
    const reason = `its DefaultAuthorizer is an intrinsic and it has OPTIONS routes of its own (${openHandlers.join(", ")}) that an exemption would open`;
    return {
      strategy: "unchanged",
      reason,
      exact: true,
      warnings: [`preflights still require the key: ${reason}`],
    };
  }
  if (canPushDown) {
    return {
      strategy: "pushdown",
      reason: "the API has OPTIONS routes of its own that must keep their key",
      exact: false,
      warnings: [
        ...handlerWarnings(handlers),
        "SAM lists the api_key requirement before the authorizer on pushed-down routes and writes no empty security list for opt-outs; API Gateway reads both the same way",
      ],
    };
  }
  const reason = hasBody
    ? `its DefinitionBody has OPTIONS operations that are not mock preflights (${openHandlers.join(", ") || body.opaque}), which an exemption would open`
    : `it has OPTIONS routes of its own (${openHandlers.join(", ")}) that an exemption would open, and ${cannotPushDown(blocked, hidden)}`;
  return {
    strategy: "unchanged",
    reason,
    exact: true,
    warnings: [`preflights still require the key: ${reason}`],
  };
}

function cannotPushDown(blocked: readonly Route[], hidden: readonly (readonly string[])[]): string {
  const first = blocked[0];
  if (first) return `${routeName(first)}: ${first.pushdownBlocker}`;
  if (hidden.length > 0)
    return `routes generated later (${hidden[0]?.join(".")}) would miss a pushed-down key`;
  return "MergeDefinitions keeps SAM from carrying a route's own key";
}

/** Opt-outs counted, and the routes an exemption would open, in one pass over an API's routes. */
function sortRoutes(own: readonly Route[]): {
  optOuts: number;
  handlers: Route[];
  blocked: Route[];
} {
  let optOuts = 0;
  const handlers: Route[] = [];
  const blocked: Route[] = [];
  for (let i = 0; i < own.length; i += 1) {
    const route = own[i] as Route;
    // Even a route that already requires its key: SAM de-duplicates the API's key, not a route's.
    if (route.pushdownBlocker !== undefined) blocked.push(route);
    if (route.key === "opt-out") optOuts += 1;
    else if (route.method === "options") handlers.push(route);
  }
  return { optOuts, handlers, blocked };
}

function exemptionCause(
  hasBody: boolean,
  hasDefaultAuthorizer: boolean,
  merges: boolean,
  blocked: readonly Route[],
  hidden: readonly (readonly string[])[],
): string {
  if (hidden.length > 0)
    return `routes may be generated after the macro runs (${hidden[0]?.join(".")}), and a key pushed down would miss them`;
  if (hasBody) return "SAM ignores route Auth on an API with a DefinitionBody";
  const first = blocked[0];
  if (first) return `SAM would not carry a key written on ${routeName(first)}: ${first.pushdownBlocker}`;
  if (merges) return "SAM drops a route's own api_key definition under MergeDefinitions";
  if (hasDefaultAuthorizer) return "SAM reorders security on routes of an API with a DefaultAuthorizer";
  return "routes opt out of the key";
}

function handlerWarnings(handlers: readonly Route[]): string[] {
  return handlers.map(
    (route) =>
      `${routeName(route)} is an OPTIONS route of your own and keeps its key, so browsers still get 403 on its preflight; set Auth.ApiKeyRequired: false on it if it answers preflights`,
  );
}

function unchanged(reason: string): Decision {
  return { strategy: "unchanged", reason, exact: true, warnings: [] };
}
