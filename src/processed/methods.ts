import { isMockIntegration } from "../pushdown/body";
import { isMap, type Json, type JsonMap, own } from "../pushdown/json";

/** One method of a REST API in processed (post-SAM) CloudFormation. */
export interface ApiMethod {
  readonly api: string;
  readonly path: string;
  /** The key in the path item: `get`, `options`, `x-amazon-apigateway-any-method`, ... */
  readonly method: string;
  /** The `Fn::If` branches the method sits in, when its path item or the method is conditional. */
  readonly branch: string;
  /** An `options` method with a mock integration: what SAM generates for `Cors`. */
  readonly preflight: boolean;
  /** Whether `security` lists `api_key`, i.e. API Gateway requires `x-api-key`. */
  readonly apiKeyRequired: boolean;
  /** The `security` entries other than `api_key`: authorizers (with scopes), `sigv4` / `AWS_IAM`, markers. */
  readonly authorizers: readonly JsonMap[];
  /** The operation itself, as SAM wrote it. */
  readonly operation: JsonMap;
}

/** A REST API of processed CloudFormation with an inline body. */
export interface ProcessedApi {
  readonly api: string;
  readonly body: JsonMap;
}

/** Every `AWS::ApiGateway::RestApi` with an inline `Body`, by logical id. */
export function restApis(processed: Json): ProcessedApi[] {
  const resources = isMap(processed) ? own(processed, "Resources") : undefined;
  if (!isMap(resources)) return [];
  const apis: ProcessedApi[] = [];
  for (const [api, resource] of Object.entries(resources)) {
    if (!isMap(resource) || own(resource, "Type") !== "AWS::ApiGateway::RestApi") continue;
    const properties = own(resource, "Properties");
    const body = isMap(properties) ? own(properties, "Body") : undefined;
    if (isMap(body)) apis.push({ api, body });
  }
  return apis;
}

/**
 * Lists every method of every `AWS::ApiGateway::RestApi` with an inline `Body` in a processed template,
 * looking into `Fn::If` branches of path items and of methods the way SAM writes them.
 */
export function restApiMethods(processed: Json): ApiMethod[] {
  const methods: ApiMethod[] = [];
  for (const { api, body } of restApis(processed)) {
    const paths = own(body, "paths");
    if (!isMap(paths)) continue;
    for (const [path, item] of Object.entries(paths)) {
      for (const [branch, pathItem] of branches(item, ""))
        methods.push(...methodsOf(api, path, branch, pathItem));
    }
  }
  return methods;
}

/** Methods of a REST API whose CORS preflight requires an API key: what browsers answer with 403. */
export function keyedPreflights(processed: Json): ApiMethod[] {
  return restApiMethods(processed).filter((method) => method.preflight && method.apiKeyRequired);
}

const NOT_METHODS = new Set(["parameters", "summary", "description", "servers", "$ref"]);

function methodsOf(api: string, path: string, branch: string, pathItem: JsonMap): ApiMethod[] {
  const found: ApiMethod[] = [];
  for (const [method, value] of Object.entries(pathItem)) {
    if (NOT_METHODS.has(method)) continue;
    for (const [inner, operation] of branches(value, branch)) {
      const security = own(operation, "security");
      const entries = Array.isArray(security) ? security.filter(isMap) : [];
      found.push({
        api,
        path,
        method,
        branch: inner,
        preflight: method.toLowerCase() === "options" && isMockIntegration(operation),
        apiKeyRequired: entries.some((entry) => Object.hasOwn(entry, "api_key")),
        authorizers: entries.filter((entry) => !Object.hasOwn(entry, "api_key")),
        operation,
      });
    }
  }
  return found;
}

/** Both sides of an `Fn::If` (skipping `AWS::NoValue`), or the value itself; labelled for reports. */
function branches(value: Json | undefined, label: string): [string, JsonMap][] {
  if (!isMap(value)) return [];
  const condition = own(value, "Fn::If");
  if (Array.isArray(condition) && condition.length === 3) {
    return [
      ...branches(condition[1], `${label}${String(condition[0])}:true/`),
      ...branches(condition[2], `${label}${String(condition[0])}:false/`),
    ];
  }
  if (own(value, "Ref") === "AWS::NoValue") return [];
  return [[label, value]];
}

/** The `Access-Control-Allow-Origin` a preflight answers with (SAM writes it on the mock integration). */
export function preflightOrigin(operation: JsonMap): Json | undefined {
  const integration = own(operation, "x-amazon-apigateway-integration");
  const responses = isMap(integration) ? own(integration, "responses") : undefined;
  const fallback = isMap(responses) ? own(responses, "default") : undefined;
  const parameters = isMap(fallback) ? own(fallback, "responseParameters") : undefined;
  return isMap(parameters)
    ? own(parameters, "method.response.header.Access-Control-Allow-Origin")
    : undefined;
}
