import { type ApiModel, exemptsPreflight } from "./apis";
import { bodyOptions } from "./body";
import { isTruthy } from "./json";
import type { Strategy } from "./report";
import { type Route, routeName } from "./routes";

/** The strategy chosen for one keyed API, why, and anything the user should hear about it. */
export interface Decision {
  readonly strategy: Strategy;
  readonly reason: string;
  readonly exact: boolean;
  readonly warnings: readonly string[];
}

/** Routes whose events SAM turns into methods of this API (it ignores the rest for Auth). */
export function integratedRoutes(api: ApiModel, routes: readonly Route[]): Route[] {
  const managed = api.definitionBody === undefined;
  return routes.filter(
    (route) =>
      route.api === api.id &&
      (managed || (api.mergeDefinitions && route.resourceType === "AWS::Serverless::Function")),
  );
}

/**
 * Picks how to free an API's preflights while every other method keeps its key.
 *
 * Pushdown is the default. Where SAM would generate something else for a pushed-down route (a
 * DefaultAuthorizer reorders `security` and drops AWS_IAM credentials; an opt-out loses its empty
 * `security: []`; a DefinitionBody ignores event Auth), SAM's own preflight exemption gives exactly the
 * original output instead, unless the API has OPTIONS handlers of its own that the exemption would open.
 */
export function decide(api: ApiModel, routes: readonly Route[]): Decision {
  if (exemptsPreflight(api)) return unchanged("AddApiKeyRequiredToCorsPreflight is already false");
  if (api.definitionBody === undefined && api.hasDefinitionUri && !api.implicit) {
    return unchanged("the API is defined by DefinitionUri, which SAM does not edit for Auth");
  }
  const body = bodyOptions(api.definitionBody);
  if (!api.hasCors && body.preflights === 0)
    return unchanged("the API has no Cors, so SAM adds no preflights");
  const own = integratedRoutes(api, routes);
  const optOuts = own.filter((route) => route.key === "opt-out");
  const handlers = own.filter((route) => route.method === "options" && route.key !== "opt-out");
  const unknownMethods = own.filter((route) => route.method === undefined && route.key !== "opt-out");
  const hasBody = api.definitionBody !== undefined;
  const hasDefaultAuthorizer = isTruthy(api.defaultAuthorizer?.value);
  if (!hasBody && !hasDefaultAuthorizer && optOuts.length === 0) {
    return {
      strategy: "pushdown",
      reason: "every route now carries the key itself",
      exact: true,
      warnings: handlerWarnings(handlers),
    };
  }
  const openHandlers = [
    ...handlers.map(routeName),
    ...unknownMethods.map(routeName),
    ...body.handlers.map((p) => `DefinitionBody ${p} options`),
  ];
  if (body.opaque === undefined && openHandlers.length === 0) {
    return {
      strategy: "preflight-exemption",
      reason: `${exemptionCause(hasBody, hasDefaultAuthorizer)}; SAM's AddApiKeyRequiredToCorsPreflight: false keeps every other method as it was`,
      exact: true,
      warnings: [],
    };
  }
  if (!hasBody) {
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
  const reason = `its DefinitionBody has OPTIONS operations that are not mock preflights (${openHandlers.join(", ") || body.opaque}), which an exemption would open`;
  return {
    strategy: "unchanged",
    reason,
    exact: true,
    warnings: [`preflights still require the key: ${reason}`],
  };
}

function exemptionCause(hasBody: boolean, hasDefaultAuthorizer: boolean): string {
  if (hasBody) return "SAM ignores route Auth on an API with a DefinitionBody";
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
