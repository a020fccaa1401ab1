import { TemplateShapeError } from "./errors";
import { describe, isIntrinsic, isMap, isPlainMap, isTruthy, type Json, type JsonMap, own } from "./json";
import type { TemplatePath } from "./report";
import { isForEachKey } from "./template";

/** The OpenAPI extension that holds an API's gateway responses. */
export const GATEWAY_RESPONSES_KEY = "x-amazon-apigateway-gateway-responses";

/** What an inline `DefinitionBody` holds that matters for preflights and error answers. */
export interface BodyModel {
  /** The body's paths, in order. */
  readonly paths: readonly string[];
  /** Paths whose `options` operations all have a mock integration: preflights the user wrote. */
  readonly preflightPaths: readonly string[];
  /** `options` operations with any other integration: handlers of the user's own (`/path` or `/path OPTIONS`). */
  readonly handlers: readonly string[];
  /** Those handlers whose own `security` asks for the key: written on the OPTIONS itself, so kept. */
  readonly keyedHandlers: readonly string[];
  /** Mock preflights whose own `security` names an authorizer: SAM keeps it whatever the API says. */
  readonly authorizedPreflights: readonly string[];
  /** Set when part of the body cannot be read statically (an intrinsic or an odd shape). */
  readonly opaque: string | undefined;
  /** The body's gateway responses map; `undefined` when it has none, `null` when it cannot be read. */
  readonly gatewayResponses: JsonMap | null | undefined;
}

const NO_BODY: BodyModel = {
  paths: [],
  preflightPaths: [],
  handlers: [],
  keyedHandlers: [],
  authorizedPreflights: [],
  opaque: undefined,
  gatewayResponses: undefined,
};

/**
 * Reads an inline Swagger 2.0 or OpenAPI 3 body: its `options` operations (looking into both branches
 * of `Fn::If` the way SAM does for path items) and its gateway responses.
 */
export function readBody(body: Json | undefined): BodyModel {
  if (body === undefined || body === null) return NO_BODY;
  if (!isPlainMap(body))
    return { ...NO_BODY, opaque: "DefinitionBody is an intrinsic", gatewayResponses: null };
  const paths = own(body, "paths");
  const responses = own(body, GATEWAY_RESPONSES_KEY);
  const gatewayResponses = responses === undefined ? undefined : isPlainMap(responses) ? responses : null;
  if (!isPlainMap(paths))
    return { ...NO_BODY, opaque: "DefinitionBody.paths is not a plain map", gatewayResponses };
  const found = new BodyReader();
  // Indexed, like the walk's loops (see readTemplate): a body may hold hundreds of paths.
  const names = Object.keys(paths);
  for (let i = 0; i < names.length; i += 1) found.readPathItem(names[i] as string, paths[names[i] as string]);
  return {
    paths: names,
    preflightPaths: [...found.mockPaths].filter((path) => !found.handlerPaths.has(path)),
    handlers: found.handlers,
    keyedHandlers: found.keyedHandlers,
    authorizedPreflights: found.authorizedPreflights,
    opaque: found.opaque,
    gatewayResponses,
  };
}

class BodyReader {
  public readonly mockPaths = new Set<string>();
  public readonly handlerPaths = new Set<string>();
  public readonly handlers: string[] = [];
  public readonly keyedHandlers: string[] = [];
  public readonly authorizedPreflights: string[] = [];
  public opaque: string | undefined;

  /**
   * Reads a path item's `options` operation. Like SAM's `get_conditional_contents`, it reads both
   * branches of an `Fn::If` (recursively) and skips `Ref: AWS::NoValue`.
   */
  public readPathItem(path: string, item: Json | undefined): void {
    if (item === undefined) return;
    if (isMap(item)) {
      const branches = own(item, "Fn::If");
      if (Array.isArray(branches) && branches.length === 3) {
        this.readPathItem(path, branches[1]);
        this.readPathItem(path, branches[2]);
        return;
      }
      if (own(item, "Ref") === "AWS::NoValue") return;
    }
    if (!isMap(item)) {
      this.opaque = `DefinitionBody.paths.${path} is not a plain map`;
      return;
    }
    const methods = Object.keys(item);
    for (let i = 0; i < methods.length; i += 1) {
      const method = methods[i] as string;
      if (!isOptions(item, method)) continue;
      // An operation may itself sit in an Fn::If (SAM writes conditional methods so): read every branch.
      const operations = operationBranches(item[method] as Json);
      if (operations.length > 0 && operations.every(isMockIntegration)) {
        this.mockPaths.add(path);
        if (operations.some((operation) => namesAuthorizer(own(operation, "security"))))
          this.authorizedPreflights.push(path);
        continue;
      }
      const name = method === "options" ? path : `${path} ${method}`;
      this.handlerPaths.add(path);
      this.handlers.push(name);
      if (operations.some((operation) => asksForKey(own(operation, "security"))))
        this.keyedHandlers.push(name);
    }
  }
}

/** The operations an `options` entry stands for: itself, or both branches of its `Fn::If`s. */
function operationBranches(value: Json): JsonMap[] {
  if (!isMap(value)) return [];
  const branches = own(value, "Fn::If");
  if (Array.isArray(branches) && branches.length === 3)
    return [...operationBranches(branches[1] as Json), ...operationBranches(branches[2] as Json)];
  if (own(value, "Ref") === "AWS::NoValue") return [];
  return [value];
}

/** SAM lower-cases method keys when it applies the API's key, so `OPTIONS` is an options operation too. */
function isOptions(item: JsonMap, method: string): boolean {
  return method.length === 7 && Object.hasOwn(item, method) && method.toLowerCase() === "options";
}

/** True for an operation whose integration is a mock: what a CORS preflight is. */
export function isMockIntegration(operation: Json | undefined): boolean {
  if (!isMap(operation)) return false;
  const integration = own(operation, "x-amazon-apigateway-integration");
  const type = isMap(integration) ? own(integration, "type") : undefined;
  return typeof type === "string" && type.toLowerCase() === "mock";
}

function namesAuthorizer(security: Json | undefined): boolean {
  return (
    Array.isArray(security) &&
    security.some((entry) => isMap(entry) && Object.keys(entry).some((name) => name !== "api_key"))
  );
}

function asksForKey(security: Json | undefined): boolean {
  return Array.isArray(security) && security.some((entry) => isMap(entry) && Object.hasOwn(entry, "api_key"));
}

/**
 * Checks the parts of an inline body that the rewrite reads: the body, its `paths` and each path item
 * must be maps, and an `options` operation too. Intrinsics pass (the rewrite treats them as opaque), and
 * so does a falsy body, which SAM reads as no body at all. Everything else in the body, `security` lists
 * included, is left for SAM to judge.
 *
 * @param body - the API's `DefinitionBody`
 * @param at - its template path, for messages
 * @throws TemplateShapeError naming the first part of the wrong shape
 */
export function checkBody(body: Json | undefined, at: TemplatePath): void {
  if (!isTruthy(body) || (isMap(body) && isIntrinsic(body))) return;
  if (!isMap(body))
    throw new TemplateShapeError(at, "an OpenAPI or Swagger document as a map", describe(body));
  const paths = own(body, "paths");
  if (!isMap(paths)) throw new TemplateShapeError([...at, "paths"], "a map of paths", describe(paths));
  if (isIntrinsic(paths)) return;
  const names = Object.keys(paths);
  for (let i = 0; i < names.length; i += 1) {
    const path = names[i] as string;
    const item = paths[path];
    // Fn::ForEach blocks expand after the macro (AWS::LanguageExtensions); the body is then opaque.
    if (isForEachKey(path)) continue;
    if (!isMap(item)) throw new TemplateShapeError([...at, "paths", path], "a path item map", describe(item));
    const methods = Object.keys(item);
    for (let j = 0; j < methods.length; j += 1) {
      const method = methods[j] as string;
      if (isOptions(item, method) && !isMap(item[method] as Json))
        throw new TemplateShapeError(
          [...at, "paths", path, method],
          "an operation map",
          describe(item[method]),
        );
    }
  }
}
