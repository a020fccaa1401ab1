import {
  type ApiModel,
  authNeedsLook,
  explicitApi,
  type GlobalApi,
  IMPLICIT_API_ID,
  implicitApi,
  readGlobalApi,
} from "./apis";
import { isMap, type Json, type JsonMap, own } from "./json";
import type { TemplatePath } from "./report";
import { FUNCTION_TYPE, type Route, readRoutes, routeLists, STATE_MACHINE_TYPE } from "./routes";
import { readSettings, type Settings } from "./settings";
import { isForEachKey, resourcesOf } from "./template";

/** What the rewrite knows of a template after one walk over its resources. */
export interface TemplateModel {
  readonly root: JsonMap;
  readonly globals: GlobalApi;
  readonly settings: Settings;
  /** Every REST API SAM will build: the explicit ones in template order, then the implicit one. */
  readonly apis: readonly ApiModel[];
  /** The routes of each API, possibly none (`undefined`: routes whose `RestApiId` names no SAM API of the template). */
  readonly routesByApi: ReadonlyMap<string | undefined, readonly Route[]>;
  /** `Fn::ForEach` blocks that may generate functions, APIs or events after the macro ran. */
  readonly hidden: readonly TemplatePath[];
  /** Response types set by `AWS::ApiGateway::GatewayResponse` resources, per API logical id. */
  readonly responseResources: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Walks the template's resources once. Returns `undefined`, having read nothing strictly, when no API
 * asks for a key or a default authorizer: such a template comes back untouched however odd the rest of
 * it is, since SAM judges that part.
 *
 * @throws TemplateShapeError when a part the rewrite must read is not of the shape SAM accepts
 */
export function readTemplate(root: JsonMap): TemplateModel | undefined {
  const resources = own(root, "Resources");
  let needed = authNeedsLook(lenient(lenient(own(root, "Globals"), "Api"), "Auth"));
  const apiResources: [string, JsonMap][] = [];
  const owners: string[] = [];
  const responses: JsonMap[] = [];
  const hidden: TemplatePath[] = [];
  if (isMap(resources)) {
    // The per-resource, per-event and per-path loops of the walk are indexed over Object.keys, with the
    // typeOf and isMap checks written out: they run mostly in a container's first, unoptimised call, where
    // for...of costs time and memory and calling those helpers made the first call a third slower; for-in
    // with Object.hasOwn is slower once optimised (docs/benchmarks.md has the figures).
    const ids = Object.keys(resources);
    for (let i = 0; i < ids.length; i += 1) {
      const id = ids[i] as string;
      if (isForEachKey(id)) {
        hidden.push(["Resources", id]);
        continue;
      }
      const resource = resources[id] as Json;
      // A list or a scalar has no Type; SAM judges such entries itself.
      const type = typeof resource === "object" && resource !== null ? (resource as JsonMap).Type : undefined;
      if (type === "AWS::Serverless::Api") {
        apiResources.push([id, resource as JsonMap]);
        needed ||= authNeedsLook(lenient(lenient(resource, "Properties"), "Auth"));
      } else if (type === FUNCTION_TYPE || type === STATE_MACHINE_TYPE) owners.push(id);
      else if (type === "AWS::ApiGateway::GatewayResponse") responses.push(resource as JsonMap);
    }
  }
  if (!needed) return undefined;
  resourcesOf(root);
  const globals = readGlobalApi(root);
  const settings = readSettings(root);
  const explicit = apiResources.map(([id, resource]) => explicitApi(id, resource, globals));
  const routesByApi = routeLists(explicit.map((api) => api.id));
  const onHidden = (path: TemplatePath) => hidden.push(path);
  for (let i = 0; i < owners.length; i += 1) {
    const id = owners[i] as string;
    const owner = (resources as JsonMap)[id] as JsonMap;
    readRoutes(id, owner.Type === FUNCTION_TYPE, owner, onHidden, routesByApi);
  }
  // Once an event targets ServerlessRestApi, SAM builds it from Globals alone, even over an explicit
  // resource of that name (whose own properties it then drops). Routes generated later may create it too.
  const implicitRoutes = routesByApi.get(IMPLICIT_API_ID)?.length ?? 0;
  const hasImplicit = implicitRoutes > 0 || (hidden.length > 0 && globals.auth !== undefined);
  const apis = hasImplicit
    ? [...explicit.filter((api) => api.id !== IMPLICIT_API_ID), implicitApi(globals)]
    : explicit;
  return { root, globals, settings, apis, routesByApi, hidden, responseResources: responseTypes(responses) };
}

/** `value[key]` when `value` is a map, whatever its shape otherwise: for the look before reading. */
function lenient(value: Json | undefined, key: string): Json | undefined {
  return isMap(value) ? own(value, key) : undefined;
}

/** The response types each API's `AWS::ApiGateway::GatewayResponse` resources set (`RestApiId: !Ref Api`). */
function responseTypes(resources: readonly JsonMap[]): Map<string, Set<string>> {
  const byApi = new Map<string, Set<string>>();
  for (const resource of resources) {
    const properties = lenient(resource, "Properties");
    const api = lenient(lenient(properties, "RestApiId"), "Ref");
    if (typeof api !== "string") continue;
    const type = lenient(properties, "ResponseType");
    const types = byApi.get(api) ?? new Set<string>();
    // A type only known at deploy (an intrinsic) could be any: "*" stands for all of them.
    types.add(typeof type === "string" ? type : "*");
    byApi.set(api, types);
  }
  return byApi;
}
