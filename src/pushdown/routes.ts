import { IMPLICIT_API_ID } from "./apis";
import { TemplateShapeError } from "./errors";
import { describe, hasOwn, isIntrinsic, isMap, isTruthy, type Json, type JsonMap, own } from "./json";
import type { RouteOutcome, RouteProtection, TemplatePath } from "./report";
import { isForEachKey, optionalSettings } from "./template";

/** The resource types whose `Api` events become REST API methods. */
export const FUNCTION_TYPE = "AWS::Serverless::Function";
export const STATE_MACHINE_TYPE = "AWS::Serverless::StateMachine";

/** How a route's own `Auth.ApiKeyRequired` stands. */
export type RouteKey = "unset" | "required" | "opt-out";

/** What a route's own `Auth` says, read once. */
interface WrittenAuth {
  readonly auth: JsonMap | undefined;
  readonly key: RouteKey;
  readonly pushdownBlocker: string | undefined;
}

/**
 * One `Api` event of a function or state machine: a method on a REST API. It is also the report's entry
 * for the route once planning sets its `protection`: names, places and paths are made only when read,
 * since a template may hold thousands of routes and the Lambda's log line names fifty.
 */
export class Route implements RouteOutcome {
  /** How the route ends up protected; set when its API's strategy is known. */
  public protection: RouteProtection;

  public constructor(
    public readonly resource: string,
    public readonly event: string,
    /** The event's `Properties` map itself: the handler edits it in place. */
    public readonly properties: JsonMap,
    /** The API's logical id, or `undefined` when `RestApiId` points outside the template's SAM APIs. */
    public readonly apiId: string | undefined,
    /** Whether the route belongs to a function (state machines are not merged into a body by SAM). */
    public readonly ofFunction: boolean,
    /** `Method: OPTIONS` in any case: a handler of the user's own that answers that path's preflight. */
    public readonly isOptions: boolean,
    /** What the event's own `Auth` says; absent for most routes, which inherit their API's. */
    private readonly written?: WrittenAuth,
  ) {
    this.protection = "api-level";
  }

  /** The event's `Auth` map, when it writes one that is not an intrinsic. */
  public get auth(): JsonMap | undefined {
    return this.written?.auth;
  }

  public get key(): RouteKey {
    return this.written?.key ?? "unset";
  }

  /**
   * Why SAM would not generate the same method if the macro wrote a key on this route, if it would
   * not: its `Auth` is an intrinsic (SAM reads nothing from it, the macro cannot write into it), or it
   * sets `OverrideApiAuth` (SAM applies a function route's Auth twice, so a key written there appears twice).
   */
  public get pushdownBlocker(): string | undefined {
    return this.written?.pushdownBlocker;
  }

  public get api(): string {
    return this.apiId ?? "";
  }

  /** A readable name: `MyFn.Events.Get (GET /items)`. */
  public get route(): string {
    return `${this.resource}.Events.${this.event} (${this.method} ${this.path ?? "?"})`;
  }

  public get at(): TemplatePath {
    return routeAt(this.resource, this.event);
  }

  /** The method upper-cased, as users read it (`GET`, `ANY`). */
  public get method(): string {
    return String(own(this.properties, "Method")).toUpperCase();
  }

  /** The route's `Path` when it is a string. */
  public get path(): string | undefined {
    const path = own(this.properties, "Path");
    return typeof path === "string" ? path : undefined;
  }
}

/**
 * The routes of each API: one list per SAM API a route can join, and one (`undefined`) for routes whose
 * `RestApiId` names anything else. Made only by {@link routeLists}, so that the implicit API's list and
 * that last one are always there: a route must never fall into the wrong list for want of its own.
 */
export type RouteLists = ReadonlyMap<string | undefined, Route[]> & { readonly __madeBy: "routeLists" };

/**
 * Empty route lists for the template's explicit SAM APIs and for the implicit one: SAM's implicit-API
 * plugin adds its ServerlessRestApi before reading events, so naming it joins it.
 */
export function routeLists(explicitApiIds: Iterable<string>): RouteLists {
  const lists = new Map<string | undefined, Route[]>([
    [IMPLICIT_API_ID, []],
    [undefined, []],
  ]);
  for (const id of explicitApiIds) lists.set(id, []);
  return lists as ReadonlyMap<string | undefined, Route[]> as RouteLists;
}

/**
 * Adds the `Api` events of one function (`ofFunction`) or state machine to their API's list in `byApi`, linked to
 * the API the way SAM links them. `Fn::ForEach` blocks among the events are reported to `onHidden`:
 * routes the macro cannot see.
 *
 * One indexed loop, like the walk's, with the isMap checks written out (see readTemplate).
 */
export function readRoutes(
  resource: string,
  ofFunction: boolean,
  owner: JsonMap,
  onHidden: (path: TemplatePath) => void,
  byApi: RouteLists,
): void {
  // A null Properties or Events holds no route; SAM reports the null Properties itself.
  const properties = owner.Properties;
  if (properties === undefined || properties === null) return;
  if (!isMap(properties))
    throw new TemplateShapeError(["Resources", resource, "Properties"], "a map", describe(properties));
  const events = properties.Events;
  if (events === undefined || events === null) return;
  if (!isMap(events))
    throw new TemplateShapeError(
      ["Resources", resource, "Properties", "Events"],
      "a map of events",
      describe(events),
    );
  const names = Object.keys(events);
  for (let i = 0; i < names.length; i += 1) {
    const event = names[i] as string;
    if (isForEachKey(event)) {
      onHidden(routeAt(resource, event));
      continue;
    }
    // Fixed keys such as `Type` are read directly: none of them is a property every object inherits.
    const value = events[event];
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw eventError(resource, event, [], "a map with Type and Properties", value);
    if (value.Type !== "Api") continue;
    const eventProperties = value.Properties;
    if (typeof eventProperties !== "object" || eventProperties === null || Array.isArray(eventProperties))
      throw eventError(resource, event, ["Properties"], "a map with Path and Method", eventProperties);
    const method = eventProperties.Method;
    // SAM accepts only a plain string; the method decides whether the route is an OPTIONS handler.
    if (typeof method !== "string")
      throw eventError(
        resource,
        event,
        ["Properties", "Method"],
        "an HTTP method name such as GET or ANY",
        method,
      );
    const restApiId = eventProperties.RestApiId;
    const named = restApiId === undefined ? IMPLICIT_API_ID : apiNamed(restApiId, resource, event);
    let list = named === undefined ? undefined : byApi.get(named);
    const apiId = list === undefined ? undefined : named;
    list ??= byApi.get(undefined) as Route[];
    const isOptions = method.length === 7 && method.toLowerCase() === "options";
    const auth = eventProperties.Auth;
    const route =
      auth === undefined || auth === null
        ? new Route(resource, event, eventProperties, apiId, ofFunction, isOptions)
        : routeWithAuth(resource, event, eventProperties, apiId, ofFunction, isOptions, auth);
    list.push(route);
  }
}

/** The error for an event's part that is not of the shape SAM accepts. */
function eventError(
  resource: string,
  event: string,
  within: readonly string[],
  expected: string,
  found: Json | undefined,
): TemplateShapeError {
  return new TemplateShapeError([...routeAt(resource, event), ...within], expected, describe(found));
}

/** A route whose event writes an `Auth` (rare: most routes inherit their API's). */
function routeWithAuth(
  resource: string,
  event: string,
  properties: JsonMap,
  apiId: string | undefined,
  ofFunction: boolean,
  isOptions: boolean,
  rawAuth: Json,
): Route {
  // SAM accepts an intrinsic Auth and reads no setting from it; the rewrite must then leave the route alone.
  const opaqueAuth = isIntrinsic(rawAuth);
  const auth = opaqueAuth
    ? undefined
    : optionalSettings(
        rawAuth,
        [...routeAt(resource, event), "Properties", "Auth"],
        "a map of Auth settings",
      );
  return new Route(resource, event, properties, apiId, ofFunction, isOptions, {
    auth,
    key: routeKey(auth && hasOwn(auth, "ApiKeyRequired") ? own(auth, "ApiKeyRequired") : undefined),
    pushdownBlocker: pushdownBlocker(ofFunction, opaqueAuth, auth),
  });
}

function pushdownBlocker(
  ofFunction: boolean,
  opaqueAuth: boolean,
  auth: JsonMap | undefined,
): string | undefined {
  if (opaqueAuth) return "its Auth is an intrinsic";
  const overrides = ofFunction && auth !== undefined;
  if (overrides && isTruthy(own(auth, "OverrideApiAuth"))) return "it sets OverrideApiAuth";
  return undefined;
}

/** A route's place in the template: `["Resources", "MyFn", "Properties", "Events", "Get"]`. */
export function routeAt(resource: string, event: string): string[] {
  return ["Resources", resource, "Properties", "Events", event];
}

/** Template path of a route's `Auth` map, or of one key in it: where the rewrite writes. */
export function routeAuthPath(route: Route, key?: string): string[] {
  const path = [...routeAt(route.resource, route.event), "Properties", "Auth"];
  if (key !== undefined) path.push(key);
  return path;
}

/**
 * The logical id a route's `RestApiId` names: `X` for `RestApiId: X` and `RestApiId: {Ref: X}`, as SAM
 * links them; `undefined` for any other intrinsic, which names no SAM API here (SAM rejects it itself,
 * and the route stays as written).
 */
function apiNamed(restApiId: Json, resource: string, event: string): string | undefined {
  if (typeof restApiId === "string") return restApiId;
  if (typeof restApiId === "object" && restApiId !== null && !Array.isArray(restApiId)) {
    const ref = restApiId.Ref;
    return typeof ref === "string" ? ref : undefined;
  }
  // A null is not "absent" to SAM (it rejects it), so it must not silently join the implicit API.
  throw eventError(resource, event, ["Properties", "RestApiId"], "a logical id or {Ref: MyApi}", restApiId);
}

/** SAM reads an absent or null `ApiKeyRequired` as unset and any other value by its truthiness. */
function routeKey(value: Json | undefined): RouteKey {
  if (value === undefined || value === null) return "unset";
  return isTruthy(value) ? "required" : "opt-out";
}
