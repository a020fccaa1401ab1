import { describe, expect, it } from "vitest";
import { type JsonMap, planPushdown, pushDownApiKeys, TemplateShapeError } from "../../src/pushdown";
import { api, at, fn, route, template } from "../support/sam";

const keyedCorsApi = (auth: JsonMap = {}, extra: JsonMap = {}) =>
  api({ Cors: "'*'", Auth: { ApiKeyRequired: true, ...auth }, ...extra });

describe("pushDownApiKeys: pushdown", () => {
  it("moves the key from the API to its route", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi(),
      Fn: fn({ Get: route("/x", "get", { RestApiId: { Ref: "Api" } }) }),
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Resources", "Api", "Properties", "Auth", "ApiKeyRequired")).toBe(false);
    expect(at(output, "Resources", "Fn", "Properties", "Events", "Get", "Properties", "Auth")).toEqual({
      ApiKeyRequired: true,
    });
    expect(report.apis).toMatchObject([{ api: "Api", strategy: "pushdown", keyFrom: "own", exact: true }]);
    expect(report.routes).toMatchObject([{ api: "Api", protection: "added" }]);
  });

  it("links RestApiId given as a plain logical id, and leaves routes of other APIs alone", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi(),
      Other: api({ Cors: "'*'" }),
      Fn: fn({
        A: route("/a", "get", { RestApiId: "Api" }),
        B: route("/b", "get", { RestApiId: { Ref: "Other" } }),
      }),
    });

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(
      at(output, "Resources", "Fn", "Properties", "Events", "A", "Properties", "Auth", "ApiKeyRequired"),
    ).toBe(true);
    expect(at(output, "Resources", "Fn", "Properties", "Events", "B")).toBe(
      at(input, "Resources", "Fn", "Properties", "Events", "B"),
    );
  });

  it("carries an intrinsic key value to the routes as it is", () => {
    // Arrange
    const value = { "Fn::If": ["IsProd", true, false] };
    const input = template({
      Api: api({ Cors: "'*'", Auth: { ApiKeyRequired: value } }),
      Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }),
    });

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(
      at(output, "Resources", "Fn", "Properties", "Events", "Get", "Properties", "Auth", "ApiKeyRequired"),
    ).toBe(value);
  });

  it("keeps a route's own key and reports it as kept", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi(),
      Fn: fn({ Get: route("/x", "get", { RestApiId: "Api", Auth: { ApiKeyRequired: true } }) }),
    });

    // Act
    const { report } = pushDownApiKeys(input);

    // Assert
    expect(report.routes).toMatchObject([{ protection: "kept" }]);
    expect(report.changes).toContainEqual(["Resources", "Api", "Properties", "Auth", "ApiKeyRequired"]);
    expect(report.changes.some((path) => path.includes("Events"))).toBe(false);
  });

  it("pushes a Globals key down on the implicit API by turning the Globals key off", () => {
    // Arrange
    const input = template(
      { Fn: fn({ Get: route("/x", "get") }) },
      { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } },
    );

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Globals", "Api", "Auth", "ApiKeyRequired")).toBe(false);
    expect(
      at(output, "Resources", "Fn", "Properties", "Events", "Get", "Properties", "Auth", "ApiKeyRequired"),
    ).toBe(true);
    expect(report.apis).toMatchObject([
      { api: "ServerlessRestApi", keyFrom: "globals", strategy: "pushdown" },
    ]);
  });

  it("pins the Globals key on an explicit API the macro leaves alone when Globals changes for the implicit API", () => {
    // Arrange
    const input = template(
      {
        NoCors: api({ Cors: null as never }, { IgnoreGlobals: ["Cors"] }),
        Fn: fn({ Get: route("/x", "get") }),
      },
      { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } },
    );

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Globals", "Api", "Auth", "ApiKeyRequired")).toBe(false);
    expect(at(output, "Resources", "NoCors", "Properties", "Auth", "ApiKeyRequired")).toBe(true);
    expect(report.apis.map((a) => [a.api, a.strategy])).toEqual([
      ["NoCors", "unchanged"],
      ["ServerlessRestApi", "pushdown"],
    ]);
  });

  it("frees a user's OPTIONS route that inherits the key: it answers that path's preflight", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi(),
      Fn: fn({
        Opt: route("/x", "OPTIONS", { RestApiId: "Api" }),
        Get: route("/x", "get", { RestApiId: "Api" }),
      }),
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Resources", "Fn", "Properties", "Events", "Opt")).toBe(
      at(input, "Resources", "Fn", "Properties", "Events", "Opt"),
    );
    expect(report.routes).toMatchObject([
      { method: "OPTIONS", protection: "preflight" },
      { protection: "added" },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it("keeps the key on an OPTIONS route that asks for it itself, with a warning at that route", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi(),
      Fn: fn({ Opt: route("/x", "OPTIONS", { RestApiId: "Api", Auth: { ApiKeyRequired: true } }) }),
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(
      at(output, "Resources", "Fn", "Properties", "Events", "Opt", "Properties", "Auth", "ApiKeyRequired"),
    ).toBe(true);
    expect(report.apis[0]?.strategy).toBe("pushdown");
    expect(report.warnings).toMatchObject([
      {
        at: ["Resources", "Fn", "Properties", "Events", "Opt"],
        message: expect.stringMatching(/asks for the key itself/),
      },
    ]);
  });

  it("pushes down to state machine Api events too", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi(),
      Flow: fn({ Start: route("/start", "post", { RestApiId: "Api" }) }, "AWS::Serverless::StateMachine"),
    });

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(
      at(
        output,
        "Resources",
        "Flow",
        "Properties",
        "Events",
        "Start",
        "Properties",
        "Auth",
        "ApiKeyRequired",
      ),
    ).toBe(true);
  });
});

describe("pushDownApiKeys: pushdown under a DefaultAuthorizer", () => {
  it("keeps an AWS_IAM route free of caller credentials by leaving it InvokeRole: NONE", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi({ DefaultAuthorizer: "AWS_IAM" }),
      Fn: fn({
        Opt: route("/x", "options", { RestApiId: "Api" }),
        Health: route("/health", "get", { RestApiId: "Api", Auth: { ApiKeyRequired: false } }),
      }),
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(report.apis[0]).toMatchObject({ strategy: "pushdown", exact: true });
    expect(at(output, "Resources", "Fn", "Properties", "Events", "Health", "Properties", "Auth")).toEqual({
      InvokeRole: "NONE",
    });
  });

  it("names AWS_IAM on a route without Auth, so SAM still gives it caller credentials", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi({ DefaultAuthorizer: "AWS_IAM" }),
      Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }),
    });

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Resources", "Fn", "Properties", "Events", "Get", "Properties", "Auth")).toEqual({
      Authorizer: "AWS_IAM",
      ApiKeyRequired: true,
    });
  });
});

describe("pushDownApiKeys: preflight exemption", () => {
  it.each([
    ["a DefinitionBody", keyedCorsApi({}, { DefinitionBody: { swagger: "2.0", paths: {} } })],
    ["an intrinsic DefaultAuthorizer", keyedCorsApi({ DefaultAuthorizer: { Ref: "AuthName" } })],
  ])("uses SAM's AddApiKeyRequiredToCorsPreflight on an API with %s", (_, apiResource) => {
    // Arrange
    const input = template({ Api: apiResource, Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }) });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Resources", "Api", "Properties", "Auth", "ApiKeyRequired")).toBe(true);
    expect(at(output, "Resources", "Api", "Properties", "Auth", "AddApiKeyRequiredToCorsPreflight")).toBe(
      false,
    );
    expect(at(output, "Resources", "Fn")).toBe(at(input, "Resources", "Fn"));
    expect(report.apis[0]?.strategy).toBe("preflight-exemption");
  });

  it("keeps opt-outs as written under the exemption and reports them", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi({}, { MergeDefinitions: true }),
      Fn: fn({ Open: route("/open", "get", { RestApiId: "Api", Auth: { ApiKeyRequired: false } }) }),
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Resources", "Fn")).toBe(at(input, "Resources", "Fn"));
    expect(report.optOuts).toMatchObject([{ api: "Api", route: "Fn.Events.Open (GET /open)" }]);
  });

  it("leaves the API as it was when the exemption would take the key off an OPTIONS route that asks for it", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi({}, { MergeDefinitions: true }),
      Fn: fn({ Opt: route("/x", "options", { RestApiId: "Api", Auth: { ApiKeyRequired: true } }) }),
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(report.apis[0]).toMatchObject({
      strategy: "unchanged",
      reason: expect.stringMatching(/asks for it itself/),
    });
    expect(at(output, "Resources", "Api", "Properties", "Auth")).toBe(
      at(input, "Resources", "Api", "Properties", "Auth"),
    );
    expect(report.warnings[0]?.message).toMatch(/preflights still require the key/);
  });

  it("pushes down over opt-outs, dropping the opt-out the route no longer needs", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi(),
      Fn: fn({ Open: route("/open", "get", { RestApiId: "Api", Auth: { ApiKeyRequired: false } }) }),
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(report.apis[0]?.strategy).toBe("pushdown");
    expect(
      at(output, "Resources", "Fn", "Properties", "Events", "Open", "Properties", "Auth"),
    ).toBeUndefined();
    expect(report.optOuts).toMatchObject([{ api: "Api", route: "Fn.Events.Open (GET /open)" }]);
  });
});

describe("pushDownApiKeys: SAM rules found by review", () => {
  it("links RestApiId: ServerlessRestApi to the implicit API SAM creates", () => {
    // Arrange
    const input = template(
      {
        Fn: fn({
          A: route("/a", "get"),
          B: route("/b", "post", { RestApiId: { Ref: "ServerlessRestApi" } }),
        }),
      },
      { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } },
    );

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(
      at(output, "Resources", "Fn", "Properties", "Events", "B", "Properties", "Auth", "ApiKeyRequired"),
    ).toBe(true);
  });

  it("uses the exemption under MergeDefinitions, where a route's own key would lose its definition", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi({}, { MergeDefinitions: true }),
      Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }),
    });

    // Act
    const { report } = pushDownApiKeys(input);

    // Assert
    expect(report.apis[0]?.strategy).toBe("preflight-exemption");
  });

  it("leaves a keyed API without routes alone", () => {
    // Act
    const { report } = pushDownApiKeys(template({ Api: keyedCorsApi() }));

    // Assert
    expect(report.apis[0]).toMatchObject({
      strategy: "unchanged",
      reason: expect.stringMatching(/no routes/),
    });
  });

  it("sees Cors: {} merged with a Globals Cors map", () => {
    // Arrange
    const input = template(
      {
        Api: api({ Cors: {}, Auth: { ApiKeyRequired: true } }),
        Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }),
      },
      { Api: { Cors: { AllowOrigin: "'*'" } } },
    );

    // Act
    const { report } = pushDownApiKeys(input);

    // Assert
    expect(report.apis[0]?.strategy).toBe("pushdown");
  });
});

describe("pushDownApiKeys: routes SAM would not carry a key on", () => {
  it.each<[string, JsonMap]>([
    [
      "OverrideApiAuth (SAM applies such a route's Auth twice)",
      { Auth: { Authorizer: "A", OverrideApiAuth: true } },
    ],
    [
      "an intrinsic Auth (SAM reads nothing from it)",
      { Auth: { "Fn::If": ["C", { Authorizer: "A" }, { Ref: "AWS::NoValue" }] } },
    ],
  ])("uses the exemption for a route with %s, leaving the route as written", (_, extra) => {
    // Arrange
    const input = template({
      Api: keyedCorsApi({ Authorizers: { A: { FunctionArn: "arn" } } }),
      Fn: fn({ Get: route("/x", "get", { RestApiId: "Api", ...extra }) }),
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(report.apis[0]?.strategy).toBe("preflight-exemption");
    expect(at(output, "Resources", "Fn")).toBe(at(input, "Resources", "Fn"));
  });
});

describe("pushDownApiKeys: parameter values", () => {
  const withParameter = (value?: string) => ({
    ...template({
      Api: api({ Cors: "'*'", Auth: { ApiKeyRequired: { Ref: "RequireKey" } } }),
      Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }),
    }),
    Parameters: { RequireKey: { Type: "String", ...(value === undefined ? {} : { Default: value }) } },
  });

  it("reads an API key Ref to an empty parameter as no key, as SAM does", () => {
    // Act
    const { report } = pushDownApiKeys(withParameter(""));

    // Assert
    expect(report.apis).toEqual([]);
  });

  it("prefers the value CloudFormation passes over the Default", () => {
    // Act
    const { report } = planPushdown(withParameter(""), { RequireKey: "yes" });

    // Assert
    expect(report.apis).toMatchObject([{ api: "Api", strategy: "pushdown" }]);
  });

  it("treats a Ref it cannot resolve as required, like SAM", () => {
    // Act
    const { report } = pushDownApiKeys(withParameter());

    // Assert
    expect(report.apis).toMatchObject([{ api: "Api", strategy: "pushdown" }]);
  });
});

describe("pushDownApiKeys: nothing to do", () => {
  it.each([
    ["no key anywhere", template({ Api: api({ Cors: "'*'" }), Fn: fn({ Get: route("/x", "get") }) })],
    ["a key but no Cors", template({ Api: api({ Auth: { ApiKeyRequired: true } }) })],
    [
      "preflights already exempt",
      template({ Api: keyedCorsApi({ AddApiKeyRequiredToCorsPreflight: false }) }),
    ],
    [
      "an API overriding Globals with false",
      template(
        { Api: api({ Auth: { ApiKeyRequired: false } }) },
        { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } },
      ),
    ],
  ])("returns the very same template for %s", (_, input) => {
    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(output).toBe(input);
    expect(report.changes).toEqual([]);
  });

  it("names the place when Resources is not a map and a key makes it matter", () => {
    // Arrange
    const input = { Globals: { Api: { Auth: { ApiKeyRequired: true } } }, Resources: [] };

    // Act / Assert
    expect(() => pushDownApiKeys(input)).toThrow(TemplateShapeError);
    expect(() => pushDownApiKeys(input)).toThrow(/^Resources: expected a map.*, found a list$/);
  });

  it("returns a malformed template without any key requirement untouched", () => {
    // Arrange
    const input = { Resources: [] };

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(output).toBe(input);
    expect(report.changes).toEqual([]);
  });
});

describe("pushDownApiKeys: routes generated after the macro (Fn::ForEach)", () => {
  it("exempts preflights instead of pushing down when a ForEach in Resources may add routes", () => {
    // Arrange
    const input = template({
      Api: keyedCorsApi(),
      Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }),
      "Fn::ForEach::More": ["Name", ["A", "B"], { "${Name}Fn": fn({ Put: route("/y", "put") }) }],
    });

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Resources", "Api", "Properties", "Auth")).toEqual({
      ApiKeyRequired: true,
      AddApiKeyRequiredToCorsPreflight: false,
    });
    expect(report.apis).toMatchObject([{ api: "Api", strategy: "preflight-exemption" }]);
    expect(report.apis[0]?.reason).toContain("Resources.Fn::ForEach::More");
  });

  it("keeps the Globals key when a ForEach inside Events hides routes of the implicit API", () => {
    // Arrange
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Fn::ForEach placeholder, not a JS template
    const forEach = ["R", ["a"], { "Get${R}": route("/${R}", "get") }];
    const input = template(
      { Fn: fn({ Get: route("/x", "get"), "Fn::ForEach::Routes": forEach }) },
      { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } },
    );

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Globals", "Api", "Auth")).toEqual({
      ApiKeyRequired: true,
      AddApiKeyRequiredToCorsPreflight: false,
    });
    expect(at(output, "Resources", "Fn")).toBe(at(input, "Resources", "Fn"));
  });
});

describe("pushDownApiKeys: default authorizers on preflights", () => {
  it("frees the implicit API's preflights in Globals and pins the flag on an explicit API without Cors", () => {
    // Arrange: the explicit API's own OPTIONS route is a real method there, not a preflight.
    const input = template(
      {
        Plain: api({ Cors: "" }),
        Fn: fn({ Get: route("/x", "get"), Opt: route("/y", "options", { RestApiId: "Plain" }) }),
      },
      { Api: { Cors: "'*'", Auth: { DefaultAuthorizer: "AWS_IAM" } } },
    );

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Globals", "Api", "Auth", "AddDefaultAuthorizerToCorsPreflight")).toBe(false);
    expect(
      at(output, "Resources", "Plain", "Properties", "Auth", "AddDefaultAuthorizerToCorsPreflight"),
    ).toBe(true);
    expect(report.apis.map((outcome) => [outcome.api, outcome.authorizer?.freed])).toEqual([
      ["ServerlessRestApi", true],
    ]);
  });
});

describe("pushDownApiKeys: bodies", () => {
  it("sees an OPTIONS handler that asks for the key inside a method-level Fn::If, and leaves the API as it was", () => {
    // Arrange
    const handler = { "x-amazon-apigateway-integration": { type: "aws_proxy" }, security: [{ api_key: [] }] };
    const mock = { "x-amazon-apigateway-integration": { type: "mock" } };
    const body = { swagger: "2.0", paths: { "/x": { options: { "Fn::If": ["C", handler, mock] } } } };
    const input = template({
      Api: api({ Cors: "'*'", Auth: { ApiKeyRequired: true }, DefinitionBody: body }),
    });

    // Act
    const { report } = pushDownApiKeys(input);

    // Assert
    expect(report.apis[0]).toMatchObject({
      strategy: "unchanged",
      reason: expect.stringMatching(/asks for it itself/),
    });
  });
});
