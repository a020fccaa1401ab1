import { TemplateShapeError } from "./errors";
import { describe, isIntrinsic, isMap, isTruthy, type Json, type JsonMap, own } from "./json";

/** What an inline `DefinitionBody` holds that matters for preflights. */
export interface BodyOptions {
  /** `options` operations with a mock integration: preflights the user wrote. */
  readonly preflights: number;
  /** `options` operations with any other integration: handlers of the user's own. */
  readonly handlers: string[];
  /** Set when part of the body cannot be read statically (an intrinsic or an odd shape). */
  readonly opaque: string | undefined;
}

/**
 * Finds the `options` operations of an inline Swagger 2.0 or OpenAPI 3 body, looking into both branches
 * of `Fn::If` the way SAM does for path items.
 */
export function bodyOptions(body: Json | undefined): BodyOptions {
  const found = { preflights: 0, handlers: [] as string[], opaque: undefined as string | undefined };
  if (body === undefined || body === null) return found;
  const paths = isMap(body) ? own(body, "paths") : undefined;
  if (!isMap(body) || !isMap(paths)) return { ...found, opaque: "DefinitionBody.paths is not a plain map" };
  // for-in, not Object.entries: a body can hold hundreds of paths, and no pair array is needed.
  for (const path in paths) {
    if (Object.hasOwn(paths, path)) readPathItem(found, path, paths[path]);
  }
  return found;
}

/**
 * Counts a path item's `options` operation into `found`. Like SAM's `get_conditional_contents`, it
 * reads both branches of an `Fn::If` (recursively) and skips `Ref: AWS::NoValue`.
 */
function readPathItem(
  found: { preflights: number; handlers: string[]; opaque: string | undefined },
  path: string,
  item: Json | undefined,
): void {
  if (item === undefined) return;
  if (isMap(item)) {
    const branches = own(item, "Fn::If");
    if (Array.isArray(branches) && branches.length === 3) {
      readPathItem(found, path, branches[1]);
      readPathItem(found, path, branches[2]);
      return;
    }
    if (own(item, "Ref") === "AWS::NoValue") return;
  }
  if (!isMap(item)) {
    found.opaque = `DefinitionBody.paths.${path} is not a plain map`;
    return;
  }
  for (const method in item) {
    if (!isOptions(item, method)) continue;
    if (isMockIntegration(item[method] as Json)) found.preflights += 1;
    else found.handlers.push(method === "options" ? path : `${path} ${method}`);
  }
}

/** SAM lower-cases method keys when it applies the API's key, so `OPTIONS` is an options operation too. */
function isOptions(item: JsonMap, method: string): boolean {
  return Object.hasOwn(item, method) && method.toLowerCase() === "options";
}

function isMockIntegration(operation: Json): boolean {
  if (!isMap(operation)) return false;
  const integration = own(operation, "x-amazon-apigateway-integration");
  const type = isMap(integration) ? own(integration, "type") : undefined;
  return typeof type === "string" && type.toLowerCase() === "mock";
}

/**
 * Checks the parts of a keyed API's inline body that the rewrite reads: the body, its `paths` and each
 * path item must be maps, and an `options` operation too. Intrinsics pass (the rewrite treats them as
 * opaque), and so does a falsy body, which SAM reads as no body at all. Everything else in the body,
 * `security` lists included, is left for SAM to judge.
 *
 * @param body - the API's `DefinitionBody`
 * @param at - its template path, for messages
 * @throws TemplateShapeError naming the first part of the wrong shape
 */
export function checkBody(body: Json | undefined, at: readonly string[]): void {
  if (!isTruthy(body) || (isMap(body) && isIntrinsic(body))) return;
  if (!isMap(body))
    throw new TemplateShapeError(at, "an OpenAPI or Swagger document as a map", describe(body));
  const paths = own(body, "paths");
  if (!isMap(paths)) throw new TemplateShapeError([...at, "paths"], "a map of paths", describe(paths));
  if (isIntrinsic(paths)) return;
  for (const path in paths) {
    if (!Object.hasOwn(paths, path)) continue;
    const item = paths[path];
    if (!isMap(item)) throw new TemplateShapeError([...at, "paths", path], "a path item map", describe(item));
    for (const method in item) {
      if (isOptions(item, method) && !isMap(item[method] as Json))
        throw new TemplateShapeError(
          [...at, "paths", path, method],
          "an operation map",
          describe(item[method]),
        );
    }
  }
}
