import { checkBody } from "./body";
import { TemplateShapeError } from "./errors";
import { describe, hasOwn, isMap, isTruthy, type Json, type JsonMap, own } from "./json";
import { optionalMap, optionalSettings, typeOf } from "./template";

/** The logical id SAM gives the API it creates for `Api` events without `RestApiId`. */
export const IMPLICIT_API_ID = "ServerlessRestApi";

/** Where a setting's value comes from once SAM has merged `Globals.Api` into the API. */
export type Origin = "own" | "globals";

/** A setting as SAM sees it after merging Globals: its value and where it was written. */
export interface Setting {
  readonly value: Json;
  readonly origin: Origin;
}

/** One REST API (explicit `AWS::Serverless::Api` or the implicit one) with its effective settings. */
export interface ApiModel {
  readonly id: string;
  readonly implicit: boolean;
  /** Template path of the API's `Properties` (for the implicit API: `Globals.Api`). */
  readonly propertiesPath: readonly string[];
  /** The API's own `Auth` map, when it has one. */
  readonly ownAuth: JsonMap | undefined;
  /** Whether SAM merges `Globals.Api.Auth` into this API. */
  readonly inheritsGlobalAuth: boolean;
  readonly apiKeyRequired: Setting | undefined;
  readonly keyOnPreflight: Setting | undefined;
  readonly defaultAuthorizer: Setting | undefined;
  readonly hasCors: boolean;
  readonly definitionBody: Json | undefined;
  readonly hasDefinitionUri: boolean;
  readonly mergeDefinitions: boolean;
}

/** `Globals.Api` and its `Auth`, checked for shape. */
export interface GlobalApi {
  readonly api: JsonMap | undefined;
  readonly auth: JsonMap | undefined;
}

/**
 * Reads `Globals.Api` and `Globals.Api.Auth`, failing with a template path when `Globals` or
 * `Globals.Api` is not a map. A `Globals.Api.Auth` that is not a map carries no key; SAM's merge lets an
 * API's own `Auth` map win over it, and reports it itself for any API left with it.
 */
export function readGlobalApi(template: JsonMap): GlobalApi {
  const globals = optionalMap(own(template, "Globals"), ["Globals"], "a map of sections such as Api");
  const api = globals && optionalMap(own(globals, "Api"), ["Globals", "Api"], "a map of API settings");
  const auth = api ? own(api, "Auth") : undefined;
  return { api, auth: isMap(auth) ? auth : undefined };
}

/**
 * A cheap, lenient look for any key requirement an API could have: `Globals.Api.Auth.ApiKeyRequired` or
 * an `AWS::Serverless::Api`'s own `Auth.ApiKeyRequired`, when truthy. False means the rewrite has
 * nothing to do, whatever else in the template is malformed; true means it must read the template.
 *
 * @param template - the template as parsed JSON (any shape)
 */
export function mayRequireKey(template: Json): boolean {
  const keyIn = (auth: Json | undefined) => isMap(auth) && isTruthy(own(auth, "ApiKeyRequired"));
  const settings = (map: Json | undefined, key: string) => (isMap(map) ? own(map, key) : undefined);
  if (!isMap(template)) return false;
  if (keyIn(settings(settings(own(template, "Globals"), "Api"), "Auth"))) return true;
  const resources = own(template, "Resources");
  if (!isMap(resources)) return false;
  // for-in over JSON.parse output: no array of a template's hundreds of resources is allocated.
  for (const id in resources) {
    if (!Object.hasOwn(resources, id)) continue;
    const resource = resources[id];
    if (typeOf(resource) !== "AWS::Serverless::Api") continue;
    if (keyIn(settings(settings(resource, "Properties"), "Auth"))) return true;
  }
  return false;
}

/** Every explicit `AWS::Serverless::Api` in the template, with Globals applied as SAM applies them. */
export function explicitApis(resources: JsonMap, globals: GlobalApi): ApiModel[] {
  const apis: ApiModel[] = [];
  // for-in, as in collectRoutes: most resources are not APIs, and no pair array is built for them.
  for (const id in resources) {
    if (!Object.hasOwn(resources, id)) continue;
    const map = resources[id] as JsonMap;
    if (typeOf(map) !== "AWS::Serverless::Api") continue;
    // A null Properties holds no settings; SAM reports it itself.
    const properties = optionalMap(own(map, "Properties"), ["Resources", id, "Properties"]) ?? {};
    // SAM reads IgnoreGlobals only when there is a Globals.Api to merge.
    const ignored = globals.api
      ? ignoredGlobals(own(map, "IgnoreGlobals"), ["Resources", id, "IgnoreGlobals"])
      : new Set<string>();
    apis.push(modelApi(id, false, ["Resources", id, "Properties"], properties, globals, ignored));
  }
  return apis;
}

/** The implicit API, built by SAM from `Globals.Api` alone. */
export function implicitApi(globals: GlobalApi): ApiModel {
  return modelApi(IMPLICIT_API_ID, true, ["Globals", "Api"], {}, globals, new Set());
}

function modelApi(
  id: string,
  implicit: boolean,
  propertiesPath: readonly string[],
  properties: JsonMap,
  globals: GlobalApi,
  ignored: ReadonlySet<string>,
): ApiModel {
  const at = [...propertiesPath, "Auth"];
  const ownAuth = implicit
    ? undefined
    : optionalSettings(own(properties, "Auth"), at, "a map of Auth settings");
  // SAM's Globals merge lets a local value of another type win: `Auth: null` shadows Globals.Api.Auth.
  const shadowsGlobalAuth = !implicit && hasOwn(properties, "Auth") && ownAuth === undefined;
  const inheritsGlobalAuth = !ignored.has("Auth") && !shadowsGlobalAuth && globals.auth !== undefined;
  const globalAuth = inheritsGlobalAuth ? globals.auth : undefined;
  const globalApi = ignored.has("*") ? undefined : globals.api;
  const pick = (key: string) => effective(key, ownAuth, globalAuth);
  const prop = (key: string) => effective(key, properties, ignored.has(key) ? undefined : globalApi);
  const apiKeyRequired = pick("ApiKeyRequired");
  // SAM reads a falsy body (null, {}, []) as no body at all and generates the API from its events.
  const rawBody = implicit ? undefined : own(properties, "DefinitionBody");
  const definitionBody = isTruthy(rawBody) ? rawBody : undefined;
  // Only a keyed API's body is read by the rewrite; SAM judges the others.
  if (isTruthy(apiKeyRequired?.value)) checkBody(definitionBody, [...propertiesPath, "DefinitionBody"]);
  return {
    id,
    implicit,
    propertiesPath,
    ownAuth,
    inheritsGlobalAuth,
    apiKeyRequired,
    keyOnPreflight: pick("AddApiKeyRequiredToCorsPreflight"),
    defaultAuthorizer: pick("DefaultAuthorizer"),
    hasCors: mergedIsTruthy("Cors", properties, ignored.has("Cors") ? undefined : globalApi),
    definitionBody,
    // SAM tests DefinitionUri for truthiness: "" means none.
    hasDefinitionUri: isTruthy(prop("DefinitionUri")?.value),
    mergeDefinitions: isTruthy(prop("MergeDefinitions")?.value),
  };
}

/**
 * Whether a setting is truthy once SAM's Globals merge is done: two maps merge key by key (so a local
 * `Cors: {}` still has the Globals' `AllowOrigin`), anything else local wins.
 */
function mergedIsTruthy(key: string, local: JsonMap, global: JsonMap | undefined): boolean {
  const mine = own(local, key);
  const theirs = global ? own(global, key) : undefined;
  if (isMap(mine) && isMap(theirs)) return isTruthy(mine) || isTruthy(theirs);
  return isTruthy(hasOwn(local, key) ? mine : theirs);
}

/** A key's value after SAM's Globals merge: the local map wins whenever it has the key, null included. */
function effective(
  key: string,
  local: JsonMap | undefined,
  global: JsonMap | undefined,
): Setting | undefined {
  if (local && hasOwn(local, key)) return { value: own(local, key) as Json, origin: "own" };
  if (global && hasOwn(global, key)) return { value: own(global, key) as Json, origin: "globals" };
  return undefined;
}

/** The property names a resource's `IgnoreGlobals` attribute takes out of the merge ("*" for all). */
function ignoredGlobals(value: Json | undefined, at: readonly string[]): ReadonlySet<string> {
  // Python truthiness, as SAM tests it: "", [] and friends ignore nothing.
  if (!isTruthy(value)) return new Set();
  if (value === "*") return new Set(["*", "Auth"]);
  if (Array.isArray(value) && value.every((name) => typeof name === "string"))
    return new Set(value as string[]);
  throw new TemplateShapeError(at, `"*" or a list of property names`, describe(value));
}
