import { checkBody } from "./body";
import { TemplateShapeError } from "./errors";
import { describe, hasOwn, isMap, isPlainMap, isTruthy, type Json, type JsonMap, own } from "./json";
import type { TemplatePath } from "./report";
import { optionalMap, optionalSettings } from "./template";

/** The logical id SAM gives the API it creates for `Api` events without `RestApiId`. */
export const IMPLICIT_API_ID = "ServerlessRestApi";

/** Where a setting's value comes from once SAM has merged `Globals.Api` into the API. */
export type Origin = "own" | "globals";

/** A setting as SAM sees it after merging Globals: its value and where it was written. */
export interface Setting {
  readonly value: Json;
  readonly origin: Origin;
}

/** The `Auth` settings the rewrite reads and writes. */
export const AUTH_KEYS = [
  "ApiKeyRequired",
  "AddApiKeyRequiredToCorsPreflight",
  "DefaultAuthorizer",
  "AddDefaultAuthorizerToCorsPreflight",
  "InvokeRole",
] as const;
export type AuthKey = (typeof AUTH_KEYS)[number];

/** An API's CORS configuration after the Globals merge, as SAM reads it for its preflights. */
export interface CorsModel {
  /** `Access-Control-Allow-Origin` of the preflights: the `Cors` string or intrinsic, or `AllowOrigin`. */
  readonly origin: Json;
  /** SAM adds `Access-Control-Allow-Credentials` only when `AllowCredentials` is exactly `true`. */
  readonly credentials: boolean;
}

/** One REST API (explicit `AWS::Serverless::Api` or the implicit one) with its effective settings. */
export interface ApiModel {
  readonly id: string;
  readonly implicit: boolean;
  /** Template path of the API's `Properties` (for the implicit API: `Globals.Api`). */
  readonly propertiesPath: TemplatePath;
  /** The API's own `Properties` (for the implicit API: nothing of its own). */
  readonly properties: JsonMap;
  /** The API's own `Auth` map, when it has one. */
  readonly ownAuth: JsonMap | undefined;
  /** Whether SAM merges `Globals.Api.Auth` into this API. */
  readonly inheritsGlobalAuth: boolean;
  /** Whether SAM merges `Globals.Api.GatewayResponses` into this API. */
  readonly inheritsGlobalResponses: boolean;
  /** The property names the API's `IgnoreGlobals` lists, as written (none when it is not a list). */
  readonly ignoredGlobals: readonly string[];
  readonly auth: Readonly<Record<AuthKey, Setting | undefined>>;
  /** `undefined` when the API has no CORS configuration (falsy `Cors`). */
  readonly cors: CorsModel | undefined;
  /** `GatewayResponses` after the Globals merge: an intrinsic or odd shape is kept as it is. */
  readonly gatewayResponses: Json | undefined;
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
 * `Globals.Api` is not a map. A `Globals.Api.Auth` that is not a map carries no setting; SAM's merge lets
 * an API's own `Auth` map win over it, and reports it itself for any API left with it.
 */
export function readGlobalApi(template: JsonMap): GlobalApi {
  const globals = optionalMap(own(template, "Globals"), ["Globals"], "a map of sections such as Api");
  const api = globals && optionalMap(own(globals, "Api"), ["Globals", "Api"], "a map of API settings");
  const auth = api ? own(api, "Auth") : undefined;
  return { api, auth: isPlainMap(auth) ? auth : undefined };
}

/** Whether an `Auth` map (any shape) asks for something the macro acts on: a key or a default authorizer. */
export function authNeedsLook(auth: Json | undefined): boolean {
  return isMap(auth) && (isTruthy(own(auth, "ApiKeyRequired")) || isTruthy(own(auth, "DefaultAuthorizer")));
}

/** An explicit `AWS::Serverless::Api`, with Globals applied as SAM applies them. */
export function explicitApi(id: string, resource: JsonMap, globals: GlobalApi): ApiModel {
  // A null Properties holds no settings; SAM reports it itself.
  const properties = optionalMap(own(resource, "Properties"), ["Resources", id, "Properties"]) ?? {};
  const written = own(resource, "IgnoreGlobals");
  // SAM reads IgnoreGlobals only when there is a Globals.Api to merge.
  const ignored = globals.api
    ? ignoredGlobals(written, ["Resources", id, "IgnoreGlobals"])
    : new Set<string>();
  const listed = Array.isArray(written) ? (written as string[]) : [];
  return modelApi(id, false, ["Resources", id, "Properties"], properties, globals, ignored, listed);
}

/** The implicit API, built by SAM from `Globals.Api` alone. */
export function implicitApi(globals: GlobalApi): ApiModel {
  return modelApi(IMPLICIT_API_ID, true, ["Globals", "Api"], {}, globals, new Set(), []);
}

function modelApi(
  id: string,
  implicit: boolean,
  propertiesPath: TemplatePath,
  properties: JsonMap,
  globals: GlobalApi,
  ignored: ReadonlySet<string>,
  ignoredAsWritten: readonly string[],
): ApiModel {
  const ownAuth = implicit
    ? undefined
    : optionalSettings(own(properties, "Auth"), [...propertiesPath, "Auth"], "a map of Auth settings");
  // SAM's Globals merge lets a local value of another type win: `Auth: null` shadows Globals.Api.Auth.
  const shadowsGlobalAuth = !implicit && hasOwn(properties, "Auth") && ownAuth === undefined;
  const inheritsGlobalAuth = !ignored.has("Auth") && !shadowsGlobalAuth && globals.auth !== undefined;
  const globalAuth = inheritsGlobalAuth ? globals.auth : undefined;
  const globalApi = ignored.has("*") ? undefined : globals.api;
  const fromGlobals = (key: string) => (ignored.has(key) ? undefined : globalApi);
  const auth = {} as Record<AuthKey, Setting | undefined>;
  for (const key of AUTH_KEYS) auth[key] = effective(key, ownAuth, globalAuth);
  // SAM reads a falsy body (null, {}, []) as no body at all and generates the API from its events.
  const rawBody = implicit ? undefined : own(properties, "DefinitionBody");
  const definitionBody = isTruthy(rawBody) ? rawBody : undefined;
  // Only the body of an API the rewrite acts on is read; SAM judges the others.
  if (isTruthy(auth.ApiKeyRequired?.value) || isTruthy(auth.DefaultAuthorizer?.value))
    checkBody(definitionBody, [...propertiesPath, "DefinitionBody"]);
  return {
    id,
    implicit,
    propertiesPath,
    properties,
    ownAuth,
    inheritsGlobalAuth,
    inheritsGlobalResponses: fromGlobals("GatewayResponses") !== undefined,
    ignoredGlobals: ignoredAsWritten,
    auth,
    cors: corsOf(merged("Cors", properties, fromGlobals("Cors"))),
    gatewayResponses: merged("GatewayResponses", properties, fromGlobals("GatewayResponses")),
    definitionBody,
    // SAM tests DefinitionUri for truthiness: "" means none.
    hasDefinitionUri: isTruthy(merged("DefinitionUri", properties, fromGlobals("DefinitionUri"))),
    mergeDefinitions: isTruthy(merged("MergeDefinitions", properties, fromGlobals("MergeDefinitions"))),
  };
}

/** `Cors` as SAM reads it: a string or intrinsic is the origin; a map names it (default `'*'`). */
function corsOf(cors: Json | undefined): CorsModel | undefined {
  if (!isTruthy(cors)) return undefined;
  if (!isPlainMap(cors)) return { origin: cors as Json, credentials: false };
  return { origin: own(cors, "AllowOrigin") ?? "'*'", credentials: own(cors, "AllowCredentials") === true };
}

/**
 * A property after SAM's Globals merge: two maps merge key by key, recursively (so a local `Cors: {}`
 * still has the Globals' `AllowOrigin`); intrinsics and other values count as plain values, the local
 * one winning whenever it is written.
 */
export function merged(key: string, local: JsonMap, global: JsonMap | undefined): Json | undefined {
  const mine = own(local, key);
  const theirs = global ? own(global, key) : undefined;
  if (!hasOwn(local, key)) return theirs;
  return theirs === undefined ? mine : deepMerge(theirs, mine as Json);
}

function deepMerge(global: Json, local: Json): Json {
  if (!isPlainMap(global) || !isPlainMap(local)) {
    if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
    return local;
  }
  const result: JsonMap = { ...global };
  for (const [key, value] of Object.entries(local)) {
    const mergedValue = hasOwn(result, key) ? deepMerge(result[key] as Json, value) : value;
    Object.defineProperty(result, key, {
      value: mergedValue,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
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
function ignoredGlobals(value: Json | undefined, at: TemplatePath): ReadonlySet<string> {
  // Python truthiness, as SAM tests it: "", [] and friends ignore nothing.
  if (!isTruthy(value)) return new Set();
  if (value === "*")
    return new Set(["*", "Auth", "Cors", "GatewayResponses", "DefinitionUri", "MergeDefinitions"]);
  if (Array.isArray(value) && value.every((name) => typeof name === "string"))
    return new Set(value as string[]);
  throw new TemplateShapeError(at, `"*" or a list of property names`, describe(value));
}
