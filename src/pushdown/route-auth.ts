import type { Edit } from "./edits";
import { hasOwn, type Json, type JsonMap, own } from "./json";
import { NewRouteAuth, RouteAuthEdit } from "./route-edit";
import type { Route } from "./routes";

/** What the API's decisions ask of its routes' `Auth`. */
export interface RouteAuthSettings {
  /** The key moves onto the routes: write it where the route does not say, drop opt-outs. */
  readonly pushdown: boolean;
  /** The API's key value, copied as written onto routes (intrinsics included). */
  readonly keyValue: Json;
  /** The API's default authorizer is `AWS_IAM`: SAM gives caller credentials to routes without `Auth`. */
  readonly iamDefault: boolean;
  /** The default authorizer comes off the preflights: an `OPTIONS` route's `Authorizer: NONE` goes too. */
  readonly freeAuthorizer: boolean;
  /**
   * No route may gain or lose its whole `Auth`: the API's `InvokeRole` is an intrinsic, which SAM
   * resolves at the first route with an `Auth`, so that would change other routes' credentials.
   */
  readonly keepAuthPresence?: boolean;
}

/** {@link RouteAuthSettings} with the `Auth` map that routes without one get. */
export interface RouteAuthChange extends RouteAuthSettings {
  /**
   * The same for every route of the API, so one map serves them all (the template is JSON to whoever
   * reads it next; nothing edits a route's `Auth` after the rewrite).
   */
  readonly newAuth: JsonMap;
}

/** The change one API's settings ask of its routes. */
export function routeAuthChange(settings: RouteAuthSettings): RouteAuthChange {
  const newAuth: JsonMap = settings.iamDefault
    ? { Authorizer: "AWS_IAM", ApiKeyRequired: settings.keyValue }
    : { ApiKeyRequired: settings.keyValue };
  return { ...settings, newAuth };
}

/**
 * The edits of one route's `Auth`. The route ends up with what its API's new settings need and
 * everything else as written:
 *
 * - on a pushed-down API, a route that does not say gets the API's key, and an opt-out goes (SAM
 *   refuses `ApiKeyRequired: false` on an API without a key, and the route no longer inherits one);
 *   an `OPTIONS` route that does not ask for the key itself gets none: it answers the path's preflight;
 * - with an `AWS_IAM` default, a route whose `Auth` was empty gets `Authorizer: AWS_IAM` along with the
 *   key, so SAM still gives it caller credentials; one whose `Auth` would become empty keeps
 *   `InvokeRole: NONE` instead, SAM's marker for "no credentials", so it gets none as before;
 * - an `OPTIONS` route's `Authorizer: NONE` has no default left to cancel once the preflights are freed,
 *   and SAM would otherwise leave its marker in the method's `security`;
 * - an `OPTIONS` route freed of an `AWS_IAM` default gets `InvokeRole: NONE` where its `Auth` would be
 *   empty: a browser's preflight carries no signature, so caller credentials could not invoke it.
 */
export function routeAuthEdits(route: Route, change: RouteAuthChange, into: Edit[] = []): Edit[] {
  const isOptions = route.isOptions;
  // Most routes write no Auth: the key (and, under AWS_IAM, the authorizer) is the whole new map.
  if (route.auth === undefined) {
    if (change.keepAuthPresence) return into;
    if (isOptions && change.freeAuthorizer && change.iamDefault) {
      into.push(RouteAuthEdit.edit("set", route, undefined, { InvokeRole: "NONE" }));
      return into;
    }
    if (!change.pushdown || isOptions) return into;
    into.push(new NewRouteAuth(route, change.newAuth) as Edit);
    return into;
  }
  const before = route.auth;
  const after: JsonMap = { ...before };
  if (change.pushdown) {
    if (route.key === "opt-out") delete after.ApiKeyRequired;
    else if (route.key === "unset" && !isOptions) {
      if (change.iamDefault && Object.keys(before).length === 0) after.Authorizer = "AWS_IAM";
      after.ApiKeyRequired = change.keyValue;
    }
  }
  // Scopes go with it: SAM refuses AuthorizationScopes without an Authorizer.
  if (change.freeAuthorizer && isOptions && own(before, "Authorizer") === "NONE") {
    delete after.Authorizer;
    delete after.AuthorizationScopes;
  }
  const wasEmpty = Object.keys(before).length === 0;
  const freedHandler = isOptions && change.freeAuthorizer;
  if ((!wasEmpty || freedHandler) && Object.keys(after).length === 0 && change.iamDefault)
    after.InvokeRole = "NONE";
  if (change.keepAuthPresence && Object.keys(after).length === 0 && Object.keys(before).length > 0)
    return into;
  return diff(route, before, after, into);
}

/** The fewest edits that turn `before` into `after`, one key at a time where the map stays. */
function diff(route: Route, before: JsonMap, after: JsonMap, edits: Edit[]): Edit[] {
  const keysAfter = Object.keys(after);
  if (keysAfter.length === 0) {
    if (Object.keys(before).length > 0) edits.push(RouteAuthEdit.edit("delete", route, undefined));
    return edits;
  }
  for (const key of Object.keys(before))
    if (!hasOwn(after, key)) edits.push(RouteAuthEdit.edit("delete", route, key));
  for (const key of keysAfter) {
    if (!hasOwn(before, key) || before[key] !== after[key])
      edits.push(RouteAuthEdit.edit("set", route, key, after[key] as Json));
  }
  return edits;
}
