import { type ApiMethod, preflightOrigin, restApiMethods, restApis } from "../../src/processed/methods";
import type { ApiOutcome, Json, JsonMap, PushdownReport } from "../../src/pushdown";
import { isMap } from "../../src/pushdown/json";

/**
 * The project's one rule, checked on the real SAM translator's output before and after the macro, as
 * API Gateway reads a method (the order of `security` entries and an empty `security: []` are no
 * difference to it):
 *
 * - every method that is not a preflight keeps its key requirement, its authorizers with their scopes,
 *   and its integration with its credentials;
 * - every CORS preflight of an API the macro handles requires no key and carries no default authorizer;
 *   a user's own OPTIONS handler is freed too, unless the report says it keeps the key it asked for;
 * - API Gateway's own error answers of an API that got gateway responses carry the preflights'
 *   `Access-Control-Allow-Origin` (and `Access-Control-Allow-Credentials` where the preflights send it);
 * - nothing else in the generated CloudFormation changes (the deployment's hashed logical id aside).
 *
 * @returns one line per violation; empty when the rule holds
 */
export function ruleViolations(before: Json, after: Json, report: PushdownReport): string[] {
  const outcomes = new Map(report.apis.map((api) => [api.api, api]));
  const violations = [
    ...methodViolations(restApiMethods(before), restApiMethods(after), outcomes, report),
    ...responseViolations(after, outcomes),
  ];
  const freed = new Set(report.apis.filter((api) => api.authorizer?.freed).map((api) => api.api));
  const differences = jsonDifferences(
    normalise(before, undefined, freed),
    normalise(after, before, freed),
    "",
  );
  return [...violations, ...differences.slice(0, 20).map((line) => `changed: ${line}`)];
}

const key = (m: ApiMethod) => `${m.api} ${m.path} ${m.method} ${m.branch}`;
/**
 * Security entries as a set. SAM's `NONE` marker (left in place when a route with `Authorizer: NONE` has
 * nothing else in its security) names no scheme, and API Gateway applies no authorizer for it.
 */
const entries = (list: readonly JsonMap[]) =>
  [
    ...new Set(list.filter((entry) => !Object.hasOwn(entry, "NONE")).map((entry) => JSON.stringify(entry))),
  ].sort();

function methodViolations(
  before: readonly ApiMethod[],
  after: readonly ApiMethod[],
  outcomes: ReadonlyMap<string, ApiOutcome>,
  report: PushdownReport,
): string[] {
  const afterByKey = new Map(after.map((m) => [key(m), m]));
  const violations: string[] = [];
  if (after.length !== before.length) violations.push(`method count ${before.length} became ${after.length}`);
  for (const old of before) {
    const now = afterByKey.get(key(old));
    if (!now) {
      violations.push(`method disappeared: ${key(old)}`);
      continue;
    }
    const outcome = outcomes.get(old.api);
    const keyFreed = outcome !== undefined && outcome.strategy !== "unchanged";
    const authorizerFreed = outcome?.authorizer?.freed === true;
    if (old.preflight) {
      if (now.apiKeyRequired && keyFreed) violations.push(`preflight still requires a key: ${key(old)}`);
      // A preflight whose body names an authorizer itself keeps it (SAM never removes it); the report says so.
      const warned = report.warnings.some(
        (w) => w.at[1] === old.api && w.at.includes(old.path) && /names an authorizer/.test(w.message),
      );
      if (entries(now.authorizers).length > 0 && authorizerFreed && !warned)
        violations.push(
          `preflight still carries an authorizer: ${key(old)} ${JSON.stringify(now.authorizers)}`,
        );
      // An API the report does not name (one generated later, by Fn::ForEach) may only lose the key.
      const unchanged = outcome !== undefined && !keyFreed;
      if (now.apiKeyRequired && !old.apiKeyRequired) violations.push(`preflight gained a key: ${key(old)}`);
      if (unchanged && now.apiKeyRequired !== old.apiKeyRequired)
        violations.push(`preflight key changed: ${key(old)}`);
      continue;
    }
    if (old.method.toLowerCase() === "options") {
      violations.push(...handlerViolations(old, now, report));
      continue;
    }
    if (old.apiKeyRequired && !now.apiKeyRequired) violations.push(`ROUTE LOST ITS KEY: ${key(old)}`);
    if (!old.apiKeyRequired && now.apiKeyRequired) violations.push(`method gained a key: ${key(old)}`);
    if (JSON.stringify(entries(old.authorizers)) !== JSON.stringify(entries(now.authorizers)))
      violations.push(
        `authorizers changed on ${key(old)}: ${JSON.stringify(old.authorizers)} -> ${JSON.stringify(now.authorizers)}`,
      );
    const integration = (m: ApiMethod) => JSON.stringify(m.operation["x-amazon-apigateway-integration"]);
    if (integration(old) !== integration(now)) violations.push(`integration changed on ${key(old)}`);
  }
  return violations;
}

/** A user's own OPTIONS handler answers its path's preflight: it may lose protection, never gain it. */
function handlerViolations(old: ApiMethod, now: ApiMethod, report: PushdownReport): string[] {
  const violations: string[] = [];
  const route = report.routes.find(
    (r) => r.api === old.api && r.method === "OPTIONS" && r.path !== undefined && samePath(r.path, old.path),
  );
  if (now.apiKeyRequired && !old.apiKeyRequired) violations.push(`OPTIONS handler gained a key: ${key(old)}`);
  if (route?.protection === "kept" && !now.apiKeyRequired)
    violations.push(`OPTIONS handler lost the key it asks for: ${key(old)}`);
  if (route?.protection === "preflight" && now.apiKeyRequired)
    violations.push(`OPTIONS handler still requires a key: ${key(old)}`);
  const was = new Set(entries(old.authorizers));
  for (const entry of entries(now.authorizers))
    if (!was.has(entry)) violations.push(`OPTIONS handler gained ${entry}: ${key(old)}`);
  return violations;
}

/** SAM writes event paths as given; compare them the way API Gateway matches resources. */
function samePath(a: string, b: string): boolean {
  return a.replace(/\/$/, "") === b.replace(/\/$/, "");
}

const ALLOW_ORIGIN = "gatewayresponse.header.Access-Control-Allow-Origin";
const ALLOW_CREDENTIALS = "gatewayresponse.header.Access-Control-Allow-Credentials";

/** Error answers of an API that got gateway responses send the preflights' CORS headers. */
function responseViolations(after: Json, outcomes: ReadonlyMap<string, ApiOutcome>): string[] {
  const violations: string[] = [];
  const preflights = restApiMethods(after).filter((m) => m.preflight);
  for (const { api, body } of restApis(after)) {
    const added = outcomes.get(api)?.gatewayResponses?.added ?? [];
    if (added.length === 0) continue;
    const responses = body["x-amazon-apigateway-gateway-responses"];
    if (!isMap(responses)) {
      violations.push(`${api}: gateway responses reported but not in the body`);
      continue;
    }
    // Without a generated preflight (every path has an OPTIONS handler) there is no origin to compare with.
    const preflight = preflights.find((m) => m.api === api);
    const origin = preflight && JSON.stringify(preflightOrigin(preflight.operation));
    const credentials =
      preflight !== undefined &&
      JSON.stringify(
        (preflight.operation["x-amazon-apigateway-integration"] as JsonMap | undefined)?.responses,
      ).includes("Access-Control-Allow-Credentials");
    for (const type of ["DEFAULT_4XX", "DEFAULT_5XX", ...added]) {
      const parameters = (responses[type] as JsonMap | undefined)?.responseParameters as JsonMap | undefined;
      if (!added.includes(type) && parameters?.[ALLOW_ORIGIN] !== undefined) continue;
      if (parameters?.[ALLOW_ORIGIN] === undefined)
        violations.push(`${api} ${type}: no Access-Control-Allow-Origin`);
      else if (origin !== undefined && JSON.stringify(parameters?.[ALLOW_ORIGIN]) !== origin)
        violations.push(
          `${api} ${type}: Access-Control-Allow-Origin ${JSON.stringify(parameters?.[ALLOW_ORIGIN])}, preflights send ${origin}`,
        );
      if (credentials && parameters?.[ALLOW_CREDENTIALS] === undefined)
        violations.push(`${api} ${type}: no Access-Control-Allow-Credentials though the preflights send it`);
    }
  }
  return violations;
}

/**
 * A copy of a processed template without what the method checks above already judged: every
 * operation's `security`, the deployment's content hash, and in `after` (given `before`) the CORS
 * headers the macro may add to gateway responses, with the entries it created for them.
 */
function normalise(processed: Json, before: Json | undefined, freed: ReadonlySet<string>): Json {
  const text = JSON.stringify(processed).replace(/([A-Za-z0-9]+Deployment)[0-9a-f]{10}\b/g, "$1");
  const copy = JSON.parse(text) as JsonMap;
  const earlier = new Map(restApis(before ?? null).map(({ api, body }) => [api, body]));
  for (const [id, resource] of Object.entries(copy.Resources as JsonMap)) {
    if (!isMap(resource)) continue;
    const properties = resource.Properties;
    if (resource.Type === "AWS::ApiGateway::Deployment" && isMap(properties)) delete properties.Description;
    if (resource.Type !== "AWS::ApiGateway::RestApi" || !isMap(properties) || !isMap(properties.Body))
      continue;
    const used = new Set<string>();
    forEachOperation(properties.Body, (method, operation) => {
      for (const entry of Array.isArray(operation.security) ? operation.security : [])
        if (isMap(entry)) for (const name of Object.keys(entry)) used.add(name);
      delete operation.security;
      // A user's OPTIONS handler freed of an AWS_IAM default has no signature to take credentials from.
      const integration = operation["x-amazon-apigateway-integration"];
      if (freed.has(id) && method.toLowerCase() === "options" && isMap(integration))
        delete integration.credentials;
    });
    withoutUnusedSchemes(properties.Body, used);
    if (before !== undefined) withoutAddedHeaders(properties.Body, earlier.get(id));
  }
  return copy;
}

/**
 * A security scheme no method names is nothing API Gateway applies. SAM writes `api_key` whenever some
 * method asks for the key (the method checks judge those), so it goes too: when only preflights asked
 * for it, it rightly disappears with them.
 */
function withoutUnusedSchemes(body: JsonMap, used: ReadonlySet<string>): void {
  const components = body.components;
  const holders: [JsonMap, string][] = [[body, "securityDefinitions"]];
  if (isMap(components)) holders.push([components, "securitySchemes"]);
  for (const [holder, name] of holders) {
    const schemes = holder[name];
    if (!isMap(schemes)) continue;
    for (const scheme of Object.keys(schemes))
      if (scheme === "api_key" || !used.has(scheme)) delete schemes[scheme];
    if (Object.keys(schemes).length === 0) delete holder[name];
  }
}

function withoutAddedHeaders(body: JsonMap, earlier: JsonMap | undefined): void {
  const name = "x-amazon-apigateway-gateway-responses";
  const responses = body[name];
  if (!isMap(responses)) return;
  const was = isMap(earlier?.[name]) ? (earlier?.[name] as JsonMap) : {};
  for (const [type, entry] of Object.entries(responses)) {
    if (!isMap(entry)) continue;
    const old = isMap(was[type]) ? (was[type] as JsonMap) : undefined;
    const parameters = entry.responseParameters;
    const oldParameters = isMap(old?.responseParameters) ? (old?.responseParameters as JsonMap) : {};
    if (isMap(parameters)) {
      for (const header of [ALLOW_ORIGIN, ALLOW_CREDENTIALS])
        if (!Object.hasOwn(oldParameters, header)) delete parameters[header];
      // The macro created the parameters map of an entry that had none (in a body the user wrote).
      if (
        old !== undefined &&
        !Object.hasOwn(old, "responseParameters") &&
        Object.keys(parameters).length === 0
      )
        delete entry.responseParameters;
    }
    if (
      old === undefined &&
      JSON.stringify(entry) === JSON.stringify({ responseParameters: {}, responseTemplates: {} })
    )
      delete responses[type];
  }
  if (!isMap(earlier?.[name]) && Object.keys(responses).length === 0) delete body[name];
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
    return [...keys].flatMap((k) => jsonDifferences(a[k], b[k], `${at}.${k}`));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, index) => jsonDifferences(item, b[index], `${at}[${index}]`));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [`${at || "(root)"}: ${JSON.stringify(a)?.slice(0, 120)} -> ${JSON.stringify(b)?.slice(0, 120)}`];
}
