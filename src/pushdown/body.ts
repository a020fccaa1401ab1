import { isMap, type Json, own } from "./json";

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
  for (const [path, item] of Object.entries(paths)) {
    for (const branch of conditionalContents(item)) {
      if (!isMap(branch)) {
        found.opaque = `DefinitionBody.paths.${path} is not a plain map`;
        continue;
      }
      const options = own(branch, "options");
      if (options === undefined) continue;
      if (isMockIntegration(options)) found.preflights += 1;
      else found.handlers.push(path);
    }
  }
  return found;
}

/** SAM's `get_conditional_contents`: the two branches of an `Fn::If`, or the value itself. */
function conditionalContents(item: Json | undefined): Json[] {
  const branches = isMap(item) ? own(item, "Fn::If") : undefined;
  if (Array.isArray(branches) && branches.length === 3) return branches.slice(1).flatMap(conditionalContents);
  if (item === undefined || (isMap(item) && own(item, "Ref") === "AWS::NoValue")) return [];
  return [item];
}

function isMockIntegration(operation: Json): boolean {
  if (!isMap(operation)) return false;
  const integration = own(operation, "x-amazon-apigateway-integration");
  const type = isMap(integration) ? own(integration, "type") : undefined;
  return typeof type === "string" && type.toLowerCase() === "mock";
}
