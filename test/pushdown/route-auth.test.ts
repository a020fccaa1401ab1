import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEdits } from "../../src/pushdown";
import type { JsonMap } from "../../src/pushdown/json";
import { type RouteAuthSettings, routeAuthChange, routeAuthEdits } from "../../src/pushdown/route-auth";
import { type Route, readRoutes, routeLists } from "../../src/pushdown/routes";

/** One route read the way the walk reads it, inside a one-function template. */
function routeOf(method: string, auth?: JsonMap): { template: JsonMap; route: Route } {
  const properties: JsonMap = { Path: "/x", Method: method, RestApiId: "Api" };
  if (auth !== undefined) properties.Auth = auth;
  const fn: JsonMap = {
    Type: "AWS::Serverless::Function",
    Properties: { Events: { E: { Type: "Api", Properties: properties } } },
  };
  const byApi = routeLists(["Api"]);
  readRoutes("Fn", true, fn, () => {}, byApi);
  const route = byApi.get("Api")?.[0];
  return { template: { Resources: { Fn: fn } }, route: route as Route };
}

/** The route's Auth once the edits are applied. */
function authAfter(method: string, auth: JsonMap | undefined, change: Partial<RouteAuthSettings>): unknown {
  const { template, route } = routeOf(method, auth);
  const edits = routeAuthEdits(route, routeAuthChange({ ...NOTHING, ...change }));
  const output = applyEdits(template, edits) as {
    Resources: { Fn: { Properties: { Events: { E: { Properties: JsonMap } } } } };
  };
  return output.Resources.Fn.Properties.Events.E.Properties.Auth;
}

const NOTHING: RouteAuthSettings = {
  pushdown: false,
  keyValue: true,
  iamDefault: false,
  freeAuthorizer: false,
};
const PUSHDOWN: Partial<RouteAuthSettings> = { pushdown: true };

describe("routeAuthEdits", () => {
  it.each<[string, string, JsonMap | undefined, Partial<RouteAuthSettings>, unknown]>([
    ["gives a route without Auth the API's key", "get", undefined, PUSHDOWN, { ApiKeyRequired: true }],
    [
      "copies an intrinsic key value as written",
      "get",
      undefined,
      { pushdown: true, keyValue: { Ref: "K" } },
      { ApiKeyRequired: { Ref: "K" } },
    ],
    [
      "adds the key next to what the route says",
      "post",
      { Authorizer: "Pool" },
      PUSHDOWN,
      { Authorizer: "Pool", ApiKeyRequired: true },
    ],
    ["keeps a route's own key", "get", { ApiKeyRequired: true }, PUSHDOWN, { ApiKeyRequired: true }],
    ["drops an opt-out that was the whole Auth", "get", { ApiKeyRequired: false }, PUSHDOWN, undefined],
    [
      "drops only the opt-out when more is written",
      "get",
      { ApiKeyRequired: false, Authorizer: "Pool" },
      PUSHDOWN,
      { Authorizer: "Pool" },
    ],
    ["gives no key to an OPTIONS route that does not ask for one", "options", undefined, PUSHDOWN, undefined],
    [
      "names AWS_IAM with the key where SAM would otherwise drop caller credentials",
      "get",
      undefined,
      { pushdown: true, iamDefault: true },
      { Authorizer: "AWS_IAM", ApiKeyRequired: true },
    ],
    [
      "leaves InvokeRole NONE where an opt-out was the whole Auth under AWS_IAM",
      "get",
      { ApiKeyRequired: false },
      { pushdown: true, iamDefault: true },
      { InvokeRole: "NONE" },
    ],
    [
      "drops Authorizer NONE from a freed OPTIONS route",
      "options",
      { Authorizer: "NONE", ApiKeyRequired: true },
      { freeAuthorizer: true },
      { ApiKeyRequired: true },
    ],
    [
      "keeps an OPTIONS route without credentials under AWS_IAM",
      "options",
      { Authorizer: "NONE" },
      { freeAuthorizer: true, iamDefault: true },
      { InvokeRole: "NONE" },
    ],
    [
      "keeps Authorizer NONE on other methods",
      "get",
      { Authorizer: "NONE" },
      { freeAuthorizer: true },
      { Authorizer: "NONE" },
    ],
    [
      "gives an OPTIONS route freed of an AWS_IAM default no caller credentials (a preflight has no signature)",
      "options",
      undefined,
      { freeAuthorizer: true, iamDefault: true },
      { InvokeRole: "NONE" },
    ],
    [
      "changes nothing when the API changes nothing",
      "get",
      { Authorizer: "Pool" },
      {},
      { Authorizer: "Pool" },
    ],
  ])("%s", (_name, method, auth, change, expected) => {
    expect(authAfter(method, auth, change)).toEqual(expected);
  });

  it("edits nothing at all when nothing changes", () => {
    // Arrange
    const { route } = routeOf("get", { ApiKeyRequired: true });

    // Act
    const edits = routeAuthEdits(route, routeAuthChange({ ...NOTHING, pushdown: true }));

    // Assert
    expect(edits).toEqual([]);
  });

  it("after a pushdown, every non-OPTIONS route asks for a key unless it opted out", () => {
    const auth = fc.option(
      fc.record(
        {
          ApiKeyRequired: fc.boolean(),
          Authorizer: fc.constantFrom("Pool", "NONE", "AWS_IAM"),
          InvokeRole: fc.constant("CALLER_CREDENTIALS"),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.constantFrom("get", "post", "any", "options"),
        auth,
        fc.boolean(),
        (method, written, iam) => {
          // Act
          const after = authAfter(method, written, { pushdown: true, iamDefault: iam }) as
            | JsonMap
            | undefined;

          // Assert
          const optedOut = written?.ApiKeyRequired === false;
          const asks = after?.ApiKeyRequired === true;
          if (method !== "options" && !optedOut) expect(asks).toBe(true);
          if (optedOut) expect(asks).toBe(false);
          if (method === "options" && written?.ApiKeyRequired !== true) expect(asks).toBe(false);
        },
      ),
    );
  });
});
