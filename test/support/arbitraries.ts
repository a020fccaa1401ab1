import fc from "fast-check";
import type { Json, JsonMap } from "../../src/pushdown";
import { isMap } from "../../src/pushdown/json";

/** Whether generated templates may carry `ApiKeyRequired`, and a `DefaultAuthorizer`, at all. */
export interface TemplateOptions {
  readonly keys: boolean;
  readonly authorizers?: boolean;
}

type KeySpec = "true" | "false" | "intrinsic" | "absent";

interface AuthSpec {
  readonly key: KeySpec;
  readonly preflight: boolean | undefined;
  readonly defaultAuthorizer: "MyAuth" | "AWS_IAM" | undefined;
}

interface ApiSpec {
  readonly auth: AuthSpec | undefined;
  readonly cors: Json | undefined;
  readonly body: "none" | "plain" | "with-preflight";
  readonly mergeDefinitions: boolean;
  readonly ignoreGlobals: "none" | "*" | "Auth" | "Cors";
  readonly junk: Json;
}

interface EventSpec {
  readonly path: string;
  readonly method: string;
  /** Index into the explicit APIs (modulo their count), or the implicit API. */
  readonly api: number | "implicit";
  readonly refStyle: "ref" | "string";
  readonly key: boolean | undefined;
  readonly authorizer: "none" | "named" | "NONE";
  readonly emptyAuth: boolean;
}

interface OwnerSpec {
  readonly kind: "function" | "state-machine";
  readonly events: readonly EventSpec[];
  readonly schedule: boolean;
  readonly junk: Json;
}

interface TemplateSpec {
  readonly globals: { auth: AuthSpec | undefined; cors: Json | undefined } | undefined;
  readonly apis: readonly ApiSpec[];
  readonly owners: readonly OwnerSpec[];
  readonly topic: Json | undefined;
  readonly metadata: Json;
}

const AUTHORIZER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:authorizer";
const junk = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;

function authSpec(options: TemplateOptions): fc.Arbitrary<AuthSpec> {
  const keys: KeySpec[] = options.keys ? ["true", "true", "false", "intrinsic", "absent"] : ["absent"];
  return fc.record({
    key: fc.constantFrom(...keys),
    preflight: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
    defaultAuthorizer:
      options.authorizers === false
        ? fc.constant(undefined)
        : fc.option(fc.constantFrom("MyAuth" as const, "AWS_IAM" as const), { nil: undefined, freq: 2 }),
  });
}

const cors = fc.option(fc.constantFrom<Json>("'*'", { AllowOrigin: "'https://example.com'" }), {
  nil: undefined,
  freq: 4,
});

function apiSpec(options: TemplateOptions): fc.Arbitrary<ApiSpec> {
  return fc.record({
    auth: fc.option(authSpec(options), { nil: undefined, freq: 4 }),
    cors,
    body: fc.constantFrom(
      "none" as const,
      "none" as const,
      "none" as const,
      "plain" as const,
      "with-preflight" as const,
    ),
    mergeDefinitions: fc.boolean(),
    ignoreGlobals: fc.constantFrom(
      "none" as const,
      "none" as const,
      "none" as const,
      "*" as const,
      "Auth" as const,
      "Cors" as const,
    ),
    junk,
  });
}

function eventSpec(options: TemplateOptions): fc.Arbitrary<EventSpec> {
  return fc.record({
    path: fc.constantFrom("/", "/items", "/items/{id}", "/other"),
    method: fc.constantFrom("get", "GET", "Post", "put", "OPTIONS", "options", "ANY", "any", "DeLeTe"),
    api: fc.oneof(fc.nat(3), fc.constant("implicit" as const)),
    refStyle: fc.constantFrom("ref" as const, "ref" as const, "string" as const),
    key: options.keys ? fc.option(fc.boolean(), { nil: undefined, freq: 2 }) : fc.constant(undefined),
    authorizer: fc.constantFrom("none" as const, "none" as const, "named" as const, "NONE" as const),
    emptyAuth: fc.boolean(),
  });
}

function ownerSpec(options: TemplateOptions): fc.Arbitrary<OwnerSpec> {
  return fc.record({
    kind: fc.constantFrom("function" as const, "function" as const, "state-machine" as const),
    events: fc.array(eventSpec(options), { maxLength: 3 }),
    schedule: fc.boolean(),
    junk,
  });
}

/** The specification of a template, before names are linked up. */
function templateSpec(options: TemplateOptions): fc.Arbitrary<TemplateSpec> {
  return fc.record({
    globals: fc.option(fc.record({ auth: fc.option(authSpec(options), { nil: undefined }), cors }), {
      nil: undefined,
    }),
    apis: fc.array(apiSpec(options), { maxLength: 2 }),
    owners: fc.array(ownerSpec(options), { minLength: 1, maxLength: 3 }),
    topic: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 }), { nil: undefined }),
    metadata: junk,
  });
}

/**
 * SAM templates of the shapes the macro meets: Globals.Api with or without Auth and Cors, explicit APIs
 * with keys (true, false, intrinsic, absent), AddApiKeyRequiredToCorsPreflight, DefaultAuthorizer,
 * Cors and optional inline bodies, functions and state machines with Api events on explicit or implicit
 * APIs (methods in any case, per-route keys and authorizers), and junk in Metadata and a plain resource.
 * Kept valid for SAM most of the time: opt-outs only on keyed APIs, authorizers only where defined.
 */
export function samTemplate(options: TemplateOptions = { keys: true }): fc.Arbitrary<JsonMap> {
  return templateSpec(options).map(buildTemplate);
}

function buildTemplate(spec: TemplateSpec): JsonMap {
  const globalAuth = spec.globals?.auth;
  const resources: JsonMap = {};
  const apiIds = spec.apis.map((_, index) => `Api${index}`);
  spec.apis.forEach((api, index) => {
    const properties: JsonMap = { StageName: "prod" };
    if (api.auth) properties.Auth = authMap(api.auth);
    if (api.cors !== undefined) properties.Cors = api.cors;
    if (api.body !== "none") properties.DefinitionBody = body(api.body === "with-preflight");
    resources[apiIds[index] as string] = {
      Type: "AWS::Serverless::Api",
      Properties: properties,
      Metadata: api.junk,
    };
  });
  // The Auth settings SAM merges for an API: its own over Globals, unless it ignores Globals' Auth.
  const inherited = (index: number | "implicit") => {
    const ignored = index === "implicit" ? "none" : spec.apis[index]?.ignoreGlobals;
    return ignored === "*" || ignored === "Auth" ? undefined : globalAuth;
  };
  const apiKeyed = (index: number | "implicit") => {
    const own = index === "implicit" ? undefined : spec.apis[index]?.auth;
    const key = own && own.key !== "absent" ? own.key : inherited(index)?.key;
    return key === "true" || key === "intrinsic";
  };
  const apiHasAuthorizers = (index: number | "implicit") => {
    const own = index === "implicit" ? undefined : spec.apis[index]?.auth;
    return own?.defaultAuthorizer === "MyAuth" || inherited(index)?.defaultAuthorizer === "MyAuth";
  };
  const apiHasDefault = (index: number | "implicit") => {
    const own = index === "implicit" ? undefined : spec.apis[index]?.auth;
    return own?.defaultAuthorizer !== undefined || inherited(index)?.defaultAuthorizer !== undefined;
  };
  spec.owners.forEach((owner, ownerIndex) => {
    const events: JsonMap = {};
    owner.events.forEach((event, eventIndex) => {
      const api = event.api === "implicit" || apiIds.length === 0 ? "implicit" : event.api % apiIds.length;
      const properties: JsonMap = { Path: event.path, Method: event.method };
      if (api !== "implicit") {
        const id = apiIds[api] as string;
        properties.RestApiId = event.refStyle === "ref" ? { Ref: id } : id;
      }
      const auth: JsonMap = {};
      if (event.key === true || (event.key === false && apiKeyed(api))) auth.ApiKeyRequired = event.key;
      if (event.authorizer === "named") auth.Authorizer = apiHasAuthorizers(api) ? "MyAuth" : "AWS_IAM";
      // NONE is only accepted where a DefaultAuthorizer exists to opt out of.
      if (event.authorizer === "NONE" && apiHasDefault(api)) auth.Authorizer = "NONE";
      if (Object.keys(auth).length > 0 || event.emptyAuth) properties.Auth = auth;
      events[`Api${eventIndex}`] = { Type: "Api", Properties: properties };
    });
    if (owner.schedule) events.Tick = { Type: "Schedule", Properties: { Schedule: "rate(1 hour)" } };
    resources[`Owner${ownerIndex}`] = ownerResource(owner.kind, events, owner.junk);
  });
  if (spec.topic !== undefined)
    resources.Topic = {
      Type: "AWS::SNS::Topic",
      Properties: { Tags: [{ Key: "junk", Value: "x" }] },
      Metadata: spec.topic,
    };
  const template: JsonMap = {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: "AWS::Serverless-2016-10-31",
    Metadata: { Junk: spec.metadata },
    Parameters: { Stage: { Type: "String", Default: "prod" } },
    Conditions: { IsProd: { "Fn::Equals": [{ Ref: "Stage" }, "prod"] } },
    Resources: resources,
  };
  if (spec.globals) {
    const api: JsonMap = {};
    if (spec.globals.auth) api.Auth = authMap(spec.globals.auth);
    if (spec.globals.cors !== undefined) api.Cors = spec.globals.cors;
    template.Globals = { Api: api };
  }
  return template;
}

function authMap(auth: AuthSpec): JsonMap {
  const map: JsonMap = {};
  if (auth.key === "true") map.ApiKeyRequired = true;
  if (auth.key === "false") map.ApiKeyRequired = false;
  if (auth.key === "intrinsic") map.ApiKeyRequired = { "Fn::If": ["IsProd", true, false] };
  if (auth.preflight !== undefined) map.AddApiKeyRequiredToCorsPreflight = auth.preflight;
  if (auth.defaultAuthorizer !== undefined) map.DefaultAuthorizer = auth.defaultAuthorizer;
  if (auth.defaultAuthorizer === "MyAuth") map.Authorizers = { MyAuth: { FunctionArn: AUTHORIZER_ARN } };
  return map;
}

function body(withPreflight: boolean): JsonMap {
  const item: JsonMap = {
    get: {
      "x-amazon-apigateway-integration": {
        type: "aws_proxy",
        httpMethod: "POST",
        uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations",
      },
      responses: {},
    },
  };
  if (withPreflight)
    item.options = {
      "x-amazon-apigateway-integration": {
        type: "mock",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
      },
      responses: { "200": { description: "ok" } },
    };
  return { swagger: "2.0", info: { title: "body", version: "1" }, paths: { "/body": item } };
}

function ownerResource(kind: OwnerSpec["kind"], events: JsonMap, metadata: Json): JsonMap {
  if (kind === "function") {
    return {
      Type: "AWS::Serverless::Function",
      Properties: {
        Runtime: "python3.12",
        Handler: "index.handler",
        InlineCode: "def handler(e, c): return {}",
        Events: events,
      },
      Metadata: metadata,
    };
  }
  return {
    Type: "AWS::Serverless::StateMachine",
    Properties: {
      Definition: { StartAt: "Done", States: { Done: { Type: "Pass", End: true } } },
      Role: "arn:aws:iam::123456789012:role/state-machine",
      Events: events,
    },
    Metadata: metadata,
  };
}

/** Every path (list of keys through maps) in a value, the root excluded, up to `depth` levels. */
function mapPaths(value: Json, depth: number, at: readonly string[] = []): string[][] {
  if (!isMap(value) || depth === 0) return [];
  return Object.keys(value).flatMap((key) => [
    [...at, key],
    ...mapPaths(value[key] as Json, depth - 1, [...at, key]),
  ]);
}

/** A template with one value somewhere replaced by junk of any shape: malformed input of every kind. */
export function corrupted(template: fc.Arbitrary<JsonMap>): fc.Arbitrary<{ template: JsonMap; at: string }> {
  return fc
    .tuple(template, fc.nat(), fc.oneof(junk, fc.constantFrom<Json>(null, [], {}, "x", 0, true)))
    .map(([original, pick, replacement]) => {
      const copy = JSON.parse(JSON.stringify(original)) as JsonMap;
      const paths = mapPaths(copy, 9);
      const path = paths[pick % paths.length] as string[];
      let node = copy;
      for (const key of path.slice(0, -1)) node = node[key] as JsonMap;
      Object.defineProperty(node, path[path.length - 1] as string, {
        value: replacement,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return { template: copy, at: path.join(".") };
    });
}
