import { afterEach, describe, expect, it } from "vitest";
import type { Json, JsonMap } from "../../src/pushdown";
import { pushDownApiKeys } from "../../src/pushdown";
import { runBuiltHandler } from "../support/built-handler";
import { eventFor, expectPrototypeClean, runHandler } from "../support/handler-run";

afterEach(expectPrototypeClean);

/** A keyed API with Cors and one function route on it: the smallest template the macro rewrites. */
function keyed(): JsonMap {
  return {
    Transform: "AWS::Serverless-2016-10-31",
    Resources: {
      Api: {
        Type: "AWS::Serverless::Api",
        Properties: { StageName: "prod", Cors: "'*'", Auth: { ApiKeyRequired: true } },
      },
      Fn: {
        Type: "AWS::Serverless::Function",
        Properties: {
          Runtime: "python3.12",
          Handler: "index.handler",
          InlineCode: "x",
          Events: {
            Get: { Type: "Api", Properties: { Path: "/a", Method: "get", RestApiId: { Ref: "Api" } } },
          },
        },
      },
    },
  };
}

/** The same template with no key anywhere: the macro has nothing to do in it. */
function unkeyed(): JsonMap {
  const template = keyed();
  set(template, "Resources.Api.Properties.Auth", {});
  return template;
}

/** Adds `Globals.Api.Auth.ApiKeyRequired: true`, so the template stays keyed whatever the API says. */
function withGlobalKey(template: JsonMap): JsonMap {
  return set(template, "Globals", { Api: { Auth: { ApiKeyRequired: true } } });
}

/** Sets a dotted path (creating nothing: every map on the way exists) as an own property. */
function set(template: JsonMap, path: string, value: Json): JsonMap {
  const keys = path.split(".");
  let node = template;
  for (const key of keys.slice(0, -1)) node = node[key] as JsonMap;
  Object.defineProperty(node, keys[keys.length - 1] as string, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return template;
}

const EVENT = "Resources.Fn.Properties.Events.Get";
const ROUTE = `${EVENT}.Properties`;
const API = "Resources.Api.Properties";

interface Row {
  readonly name: string;
  readonly template: () => Json;
  readonly status: "success" | "failure";
  /** For failures: the template path the message must name, and what it must say was expected. */
  readonly at?: string;
  readonly expected?: string;
  /** For successes: whether the very same fragment must come back. */
  readonly unchanged?: boolean;
}

const rows: Row[] = [
  // Resources
  {
    name: "Resources a list, key in Globals",
    template: () => set(withGlobalKey(keyed()), "Resources", []),
    status: "failure",
    at: "Resources",
    expected: "a map",
  },
  {
    name: "Resources missing, key in Globals",
    template: () => ({ Globals: { Api: { Auth: { ApiKeyRequired: true } } } }),
    status: "failure",
    at: "Resources",
    expected: "a map",
  },
  {
    name: "Resources a list, no key anywhere",
    template: () => ({ Resources: [] }),
    status: "success",
    unchanged: true,
  },
  { name: "a resource null", template: () => set(keyed(), "Resources.Junk", null), status: "success" },
  { name: "a resource a string", template: () => set(keyed(), "Resources.Junk", "oops"), status: "success" },
  {
    name: "a resource without Type",
    template: () => set(keyed(), "Resources.Junk", { Properties: [] }),
    status: "success",
  },
  {
    name: "a plain resource's Properties a list",
    template: () => set(keyed(), "Resources.Junk", { Type: "AWS::SNS::Topic", Properties: [] }),
    status: "success",
  },
  // Properties of the resources the rewrite reads
  {
    name: "function Properties a list",
    template: () => set(keyed(), "Resources.Fn.Properties", []),
    status: "failure",
    at: "Resources.Fn.Properties",
    expected: "a map",
  },
  {
    name: "function Properties null",
    template: () => set(keyed(), "Resources.Fn.Properties", null),
    status: "success",
  },
  {
    name: "API Properties a string, key in Globals",
    template: () => set(withGlobalKey(keyed()), API, "x"),
    status: "failure",
    at: API,
    expected: "a map",
  },
  {
    name: "API Properties a string, no key anywhere",
    template: () => set(unkeyed(), API, "x"),
    status: "success",
    unchanged: true,
  },
  // Events
  {
    name: "Events a list",
    template: () => set(keyed(), "Resources.Fn.Properties.Events", []),
    status: "failure",
    at: "Resources.Fn.Properties.Events",
    expected: "a map of events",
  },
  {
    name: "Events a list, no key anywhere",
    template: () => set(unkeyed(), "Resources.Fn.Properties.Events", []),
    status: "success",
    unchanged: true,
  },
  {
    name: "Events null",
    template: () => set(keyed(), "Resources.Fn.Properties.Events", null),
    status: "success",
  },
  {
    name: "an event null",
    template: () => set(keyed(), EVENT, null),
    status: "failure",
    at: EVENT,
    expected: "a map with Type and Properties",
  },
  {
    name: "an event a string",
    template: () => set(keyed(), EVENT, "x"),
    status: "failure",
    at: EVENT,
    expected: "a map with Type and Properties",
  },
  {
    name: "an Api event's Properties null",
    template: () => set(keyed(), ROUTE, null),
    status: "failure",
    at: ROUTE,
    expected: "a map with Path and Method",
  },
  {
    name: "an Api event's Properties missing",
    template: () => set(keyed(), EVENT, { Type: "Api" }),
    status: "failure",
    at: ROUTE,
    expected: "a map with Path and Method",
  },
  {
    name: "an Api event's Properties null, no key anywhere",
    template: () => set(unkeyed(), ROUTE, null),
    status: "success",
    unchanged: true,
  },
  {
    name: "a Schedule event's Properties null",
    template: () =>
      set(keyed(), "Resources.Fn.Properties.Events.Tick", { Type: "Schedule", Properties: null }),
    status: "success",
  },
  // Auth
  {
    name: "route Auth a list",
    template: () => set(keyed(), `${ROUTE}.Auth`, []),
    status: "failure",
    at: `${ROUTE}.Auth`,
    expected: "a map of Auth settings",
  },
  {
    name: "route Auth a string",
    template: () => set(keyed(), `${ROUTE}.Auth`, "key"),
    status: "failure",
    at: `${ROUTE}.Auth`,
    expected: "a map of Auth settings",
  },
  {
    // SAM accepts it and reads nothing from it; the API falls back to the preflight exemption.
    name: "route Auth an intrinsic",
    template: () => set(keyed(), `${ROUTE}.Auth`, { "Fn::If": ["C", {}, {}] }),
    status: "success",
  },
  { name: "route Auth null", template: () => set(keyed(), `${ROUTE}.Auth`, null), status: "success" },
  {
    name: "API Auth a list, key in Globals",
    template: () => set(withGlobalKey(keyed()), `${API}.Auth`, []),
    status: "failure",
    at: `${API}.Auth`,
    expected: "a map of Auth settings",
  },
  {
    name: "API Auth an intrinsic, key in Globals",
    template: () => set(withGlobalKey(keyed()), `${API}.Auth`, { "Fn::If": ["C", {}, {}] }),
    status: "failure",
    at: `${API}.Auth`,
    expected: "a map of Auth settings",
  },
  {
    name: "API Auth a list, no key anywhere",
    template: () => set(keyed(), `${API}.Auth`, []),
    status: "success",
    unchanged: true,
  },
  // RestApiId
  {
    name: "RestApiId a number",
    template: () => set(keyed(), `${ROUTE}.RestApiId`, 5),
    status: "failure",
    at: `${ROUTE}.RestApiId`,
    expected: "a logical id or {Ref: MyApi}",
  },
  {
    name: "RestApiId a list",
    template: () => set(keyed(), `${ROUTE}.RestApiId`, ["Api"]),
    status: "failure",
    at: `${ROUTE}.RestApiId`,
    expected: "a logical id or {Ref: MyApi}",
  },
  {
    name: "RestApiId null",
    template: () => set(keyed(), `${ROUTE}.RestApiId`, null),
    status: "failure",
    at: `${ROUTE}.RestApiId`,
    expected: "a logical id or {Ref: MyApi}",
  },
  {
    name: "RestApiId naming no resource",
    template: () => set(keyed(), `${ROUTE}.RestApiId`, { Ref: "Nowhere" }),
    status: "success",
  },
  {
    name: "RestApiId a string naming no resource",
    template: () => set(keyed(), `${ROUTE}.RestApiId`, "Nowhere"),
    status: "success",
  },
  {
    name: "RestApiId a GetAtt",
    template: () => set(keyed(), `${ROUTE}.RestApiId`, { "Fn::GetAtt": ["Api", "RootResourceId"] }),
    status: "success",
  },
  // Method
  {
    name: "Method a number",
    template: () => set(keyed(), `${ROUTE}.Method`, 5),
    status: "failure",
    at: `${ROUTE}.Method`,
    expected: "an HTTP method name",
  },
  {
    name: "Method an intrinsic",
    template: () => set(keyed(), `${ROUTE}.Method`, { Ref: "M" }),
    status: "failure",
    at: `${ROUTE}.Method`,
    expected: "an HTTP method name",
  },
  {
    name: "Method missing",
    template: () => set(keyed(), ROUTE, { Path: "/a", RestApiId: { Ref: "Api" } }),
    status: "failure",
    at: `${ROUTE}.Method`,
    expected: "an HTTP method name",
  },
  {
    name: "Method a number, no key anywhere",
    template: () => set(unkeyed(), `${ROUTE}.Method`, 5),
    status: "success",
    unchanged: true,
  },
  // DefinitionBody
  {
    name: "DefinitionBody a string",
    template: () => set(keyed(), `${API}.DefinitionBody`, "openapi.yaml"),
    status: "failure",
    at: `${API}.DefinitionBody`,
    expected: "an OpenAPI or Swagger document as a map",
  },
  {
    name: "DefinitionBody a non-empty list",
    template: () => set(keyed(), `${API}.DefinitionBody`, [1]),
    status: "failure",
    at: `${API}.DefinitionBody`,
    expected: "an OpenAPI or Swagger document as a map",
  },
  {
    name: "DefinitionBody an intrinsic",
    template: () => set(keyed(), `${API}.DefinitionBody`, { "Fn::Transform": { Name: "AWS::Include" } }),
    status: "success",
  },
  {
    name: "DefinitionBody empty (SAM reads it as absent)",
    template: () => set(keyed(), `${API}.DefinitionBody`, {}),
    status: "success",
  },
  {
    name: "DefinitionBody paths a list",
    template: () => set(keyed(), `${API}.DefinitionBody`, { swagger: "2.0", paths: [] }),
    status: "failure",
    at: `${API}.DefinitionBody.paths`,
    expected: "a map of paths",
  },
  {
    name: "DefinitionBody paths missing",
    template: () => set(keyed(), `${API}.DefinitionBody`, { swagger: "2.0" }),
    status: "failure",
    at: `${API}.DefinitionBody.paths`,
    expected: "a map of paths",
  },
  {
    name: "DefinitionBody path item a string",
    template: () => set(keyed(), `${API}.DefinitionBody`, { swagger: "2.0", paths: { "/a": "x" } }),
    status: "failure",
    at: `${API}.DefinitionBody.paths./a`,
    expected: "a path item map",
  },
  {
    name: "DefinitionBody options a list",
    template: () =>
      set(keyed(), `${API}.DefinitionBody`, { swagger: "2.0", paths: { "/a": { options: [] } } }),
    status: "failure",
    at: `${API}.DefinitionBody.paths./a.options`,
    expected: "an operation map",
  },
  {
    name: "DefinitionBody security a string (SAM's to judge)",
    template: () =>
      set(keyed(), `${API}.DefinitionBody`, { swagger: "2.0", paths: { "/a": { get: { security: "x" } } } }),
    status: "success",
  },
  {
    name: "DefinitionBody security a list of strings (SAM's to judge)",
    template: () => set(keyed(), `${API}.DefinitionBody`, { swagger: "2.0", security: ["x"], paths: {} }),
    status: "success",
  },
  {
    name: "DefinitionBody a string on an API without key",
    template: () =>
      set(
        set(keyed(), "Resources.Other", { Type: "AWS::Serverless::Api", Properties: { StageName: "p" } }),
        "Resources.Other.Properties.DefinitionBody",
        "x",
      ),
    status: "success",
  },
  // Globals
  {
    name: "Globals a list",
    template: () => set(keyed(), "Globals", []),
    status: "failure",
    at: "Globals",
    expected: "a map of sections",
  },
  {
    name: "Globals a string",
    template: () => set(keyed(), "Globals", "x"),
    status: "failure",
    at: "Globals",
    expected: "a map of sections",
  },
  { name: "Globals null", template: () => set(keyed(), "Globals", null), status: "success" },
  {
    name: "Globals.Api a list",
    template: () => set(keyed(), "Globals", { Api: [] }),
    status: "failure",
    at: "Globals.Api",
    expected: "a map of API settings",
  },
  {
    name: "Globals.Api.Auth a list (the API's own Auth wins in SAM)",
    template: () => set(keyed(), "Globals", { Api: { Auth: [] } }),
    status: "success",
  },
  {
    name: "Globals a list, no key anywhere",
    template: () => set(unkeyed(), "Globals", []),
    status: "success",
    unchanged: true,
  },
  {
    name: "IgnoreGlobals a number with Globals.Api",
    template: () => set(set(keyed(), "Globals", { Api: { Cors: "'*'" } }), "Resources.Api.IgnoreGlobals", 5),
    status: "failure",
    at: "Resources.Api.IgnoreGlobals",
    expected: '"*" or a list of property names',
  },
  {
    name: "IgnoreGlobals a number without Globals",
    template: () => set(keyed(), "Resources.Api.IgnoreGlobals", 5),
    status: "success",
  },
];

describe.each([
  { handlerName: "src/macro/handler.ts", run: (event: unknown) => runHandler(event) },
  { handlerName: "dist/handler.js", run: (event: unknown) => quietBuilt(event) },
])("malformed templates through $handlerName", ({ run }) => {
  it.each(rows)("$name → $status", async (row) => {
    // Arrange
    const fragment = row.template();
    const before = JSON.stringify(fragment);
    const pure = row.status === "success" ? pushDownApiKeys(row.template()).template : undefined;

    // Act
    const response = await run(eventFor(fragment, "req-42"));

    // Assert
    expect(response.requestId).toBe("req-42");
    expect(response.status).toBe(row.status);
    if (row.status === "failure") {
      expect(JSON.stringify(fragment), "a failed answer edits nothing").toBe(before);
    } else {
      // The handler edits its own event in place; the result is what the pure core makes of a copy.
      expect(JSON.stringify(response.fragment)).toBe(JSON.stringify(pure));
    }
    if (row.status === "failure") {
      expect(response.errorMessage).toContain(`CorsKeyPushdown: ${row.at}: expected ${row.expected}`);
      expect(response.errorMessage).toMatch(/, found .+/);
    } else {
      expect(response.errorMessage).toBeUndefined();
      if (row.unchanged) expect(response.fragment).toBe(fragment);
    }
  });
});

/** The built bundle is what Lambda runs; it must answer exactly as the source does. */
function quietBuilt(event: unknown) {
  const { fragment, requestId } = event as { fragment: Json; requestId: string };
  return runBuiltHandler(fragment, requestId);
}

describe("malformed events", () => {
  const cases: { name: string; event: unknown; at: string; requestId: string }[] = [
    { name: "event null", event: null, at: "(event)", requestId: "" },
    { name: "event a list", event: [], at: "(event)", requestId: "" },
    { name: "event a string", event: "x", at: "(event)", requestId: "" },
    { name: "fragment missing", event: { requestId: "r1" }, at: "fragment", requestId: "r1" },
    { name: "fragment null", event: { requestId: "r2", fragment: null }, at: "fragment", requestId: "r2" },
    { name: "fragment a list", event: { requestId: "r3", fragment: [] }, at: "fragment", requestId: "r3" },
    {
      name: "fragment a string",
      event: { requestId: "r4", fragment: "Resources: {}" },
      at: "fragment",
      requestId: "r4",
    },
    { name: "fragment a number", event: { requestId: "r5", fragment: 7 }, at: "fragment", requestId: "r5" },
    { name: "requestId missing", event: { fragment: keyed() }, at: "requestId", requestId: "" },
    {
      name: "requestId a number",
      event: { fragment: keyed(), requestId: 7 },
      at: "requestId",
      requestId: "",
    },
  ];

  it.each(cases)("$name → failure naming $at", async ({ event, at, requestId }) => {
    // Arrange: the event as given

    // Act
    const response = await runHandler(event);

    // Assert
    expect(response.status).toBe("failure");
    expect(response.requestId).toBe(requestId);
    expect(response.errorMessage).toMatch(
      new RegExp(`^CorsKeyPushdown: ${escapeRegExp(at)}: expected .+, found .+`),
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
