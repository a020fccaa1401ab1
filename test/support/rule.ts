import { type ApiMethod, restApiMethods } from "../../src/processed/methods";
import type { ApiOutcome, Json, JsonMap } from "../../src/pushdown";
import { isMap } from "../../src/pushdown/json";

/**
 * The project's one rule, checked on the real SAM translator's output before and after the macro:
 * every method that required a key still does, every CORS preflight does not, and nothing else in the
 * generated CloudFormation changes (the deployment's hashed logical id aside).
 *
 * @returns one line per violation; empty when the rule holds
 */
export function ruleViolations(before: Json, after: Json, apis: readonly ApiOutcome[]): string[] {
  const outcome = new Map(apis.map((api) => [api.api, api]));
  const violations = methodViolations(restApiMethods(before), restApiMethods(after), outcome);
  const differences = jsonDifferences(normalise(before, outcome), normalise(after, outcome), "");
  return [...violations, ...differences.slice(0, 20).map((line) => `changed: ${line}`)];
}

function methodViolations(
  before: readonly ApiMethod[],
  after: readonly ApiMethod[],
  outcome: ReadonlyMap<string, ApiOutcome>,
): string[] {
  const key = (m: ApiMethod) => `${m.api} ${m.path} ${m.method} ${m.branch}`;
  const afterByKey = new Map(after.map((m) => [key(m), m]));
  const violations: string[] = [];
  if (after.length !== before.length) violations.push(`method count ${before.length} became ${after.length}`);
  for (const old of before) {
    const now = afterByKey.get(key(old));
    if (!now) {
      violations.push(`method disappeared: ${key(old)}`);
    } else if (old.preflight) {
      const keptOnPurpose = outcome.get(old.api)?.strategy === "unchanged";
      if (now.apiKeyRequired && !keptOnPurpose)
        violations.push(`preflight still requires a key: ${key(old)}`);
    } else if (old.apiKeyRequired && !now.apiKeyRequired) {
      violations.push(`ROUTE LOST ITS KEY: ${key(old)}`);
    } else if (!old.apiKeyRequired && now.apiKeyRequired) {
      violations.push(`method gained a key: ${key(old)}`);
    }
  }
  return violations;
}

/**
 * Takes out of a processed template what the macro is allowed to change: the preflights' api_key, the
 * deployment's content hash, and, for an API the report marks as not exact, the order of security
 * requirements and empty `security` lists.
 */
function normalise(processed: Json, outcome: ReadonlyMap<string, ApiOutcome>): Json {
  const text = JSON.stringify(processed).replace(/([A-Za-z0-9]+Deployment)[0-9a-f]{10}\b/g, "$1");
  const copy = JSON.parse(text) as JsonMap;
  const resources = copy.Resources as JsonMap;
  for (const [id, resource] of Object.entries(resources)) {
    if (!isMap(resource)) continue;
    const properties = resource.Properties;
    if (resource.Type === "AWS::ApiGateway::Deployment" && isMap(properties)) delete properties.Description;
    if (resource.Type !== "AWS::ApiGateway::RestApi" || !isMap(properties) || !isMap(properties.Body))
      continue;
    const lenient = outcome.get(id)?.exact === false;
    forEachOperation(properties.Body, (method, operation) => normaliseSecurity(method, operation, lenient));
  }
  return copy;
}

function normaliseSecurity(method: string, operation: JsonMap, lenient: boolean): void {
  const security = operation.security;
  if (!Array.isArray(security)) return;
  const isPreflight = method.toLowerCase() === "options" && isMockIntegration(operation);
  let entries = isPreflight ? security.filter((entry) => !(isMap(entry) && "api_key" in entry)) : security;
  if (lenient) {
    // SAM leaves its `NONE` marker in place when a route with `Authorizer: NONE` has no key of its own.
    entries = entries.filter((entry) => !(isMap(entry) && "NONE" in entry));
    entries = [...entries].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  if (entries.length === 0 && (isPreflight || lenient)) delete operation.security;
  else operation.security = entries;
}

function isMockIntegration(operation: JsonMap): boolean {
  const integration = operation["x-amazon-apigateway-integration"];
  return isMap(integration) && String(integration.type).toLowerCase() === "mock";
}

/** Visits every operation of a Swagger/OpenAPI body, inside `Fn::If` branches of path items and methods. */
export function forEachOperation(body: JsonMap, visit: (method: string, operation: JsonMap) => void): void {
  const paths = body.paths;
  if (!isMap(paths)) return;
  for (const item of Object.values(paths)) {
    for (const pathItem of branchesOf(item)) {
      for (const [method, value] of Object.entries(pathItem)) {
        for (const operation of branchesOf(value)) visit(method, operation);
      }
    }
  }
}

function branchesOf(value: Json | undefined): JsonMap[] {
  if (!isMap(value)) return [];
  const condition = value["Fn::If"];
  if (Array.isArray(condition) && condition.length === 3)
    return [...branchesOf(condition[1]), ...branchesOf(condition[2])];
  return [value];
}

/** Paths where two JSON values differ; key order of maps is ignored, list order is not. */
export function jsonDifferences(a: Json | undefined, b: Json | undefined, at: string): string[] {
  if (isMap(a) && isMap(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) => jsonDifferences(a[key], b[key], `${at}.${key}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, index) => jsonDifferences(item, b[index], `${at}[${index}]`));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [`${at || "(root)"}: ${JSON.stringify(a)?.slice(0, 120)} -> ${JSON.stringify(b)?.slice(0, 120)}`];
}
