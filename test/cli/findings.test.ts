import { describe, expect, it } from "vitest";
import { readTemplateSource } from "../../src/cfn-yaml";
import { placeOf } from "../../src/cfn-yaml/locate";
import { fileUri } from "../../src/cli/check-output";
import { checkFindings, exitCodeOf, type Finding } from "../../src/cli/findings";
import { reportText } from "../../src/cli/report-text";
import type { Style } from "../../src/cli/style";
import type { ApiOutcome, JsonMap, PushdownReport, RouteOutcome } from "../../src/pushdown";

// Reports are built by hand here, so the rendering is specified whatever the core fills in today.

const PLAIN: Style = { bold: (t) => t, red: (t) => t, yellow: (t) => t, green: (t) => t, dim: (t) => t };

function api(overrides: Partial<ApiOutcome> = {}): ApiOutcome {
  return {
    api: "Api",
    at: ["Resources", "Api", "Properties"],
    keyFrom: "own",
    strategy: "pushdown",
    reason: "every route now carries the key itself",
    exact: true,
    preflightPaths: ["/items"],
    authorizer: undefined,
    gatewayResponses: undefined,
    ...overrides,
  };
}

function route(overrides: Partial<RouteOutcome> = {}): RouteOutcome {
  return {
    api: "Api",
    route: "Fn.Events.Get (GET /items)",
    at: ["Resources", "Fn", "Properties", "Events", "Get"],
    method: "GET",
    path: "/items",
    protection: "added",
    ...overrides,
  };
}

function report(overrides: Partial<PushdownReport> = {}): PushdownReport {
  return { apis: [api()], routes: [route()], optOuts: [], warnings: [], changes: [], ...overrides };
}

const TEMPLATE_TEXT = `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Cors: "'*'"
      Auth:
        ApiKeyRequired: true
        DefaultAuthorizer: MyAuth
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: Api
          Properties: {Path: /items, Method: get}
`;
const SOURCE = readTemplateSource(TEMPLATE_TEXT);
const TEMPLATE = SOURCE.value as JsonMap;

function findings(
  input: PushdownReport,
  placement: "absent" | "before-sam" | "after-sam" = "absent",
): Finding[] {
  return checkFindings({ report: input, template: TEMPLATE, placement, macroName: "CorsKeyPushdown" });
}

describe("checkFindings", () => {
  it("makes an error of an API whose SAM preflights require the key, at its ApiKeyRequired", () => {
    // Act
    const found = findings(report());

    // Assert
    expect(found).toEqual([
      {
        rule: "preflight-requires-api-key",
        level: "error",
        at: ["Resources", "Api", "Properties", "Auth", "ApiKeyRequired"],
        message:
          "API Api: CORS preflights require the API key (OPTIONS /items); the macro would move the key from Auth.ApiKeyRequired to the routes",
      },
    ]);
    expect(exitCodeOf(found)).toBe(1);
    expect(placeOf(SOURCE, found[0]?.at ?? [])).toEqual({ line: 7, column: 9 });
  });

  it("finds nothing when the user's own OPTIONS routes answer every path without a key", () => {
    // Arrange
    // Fixed by hand: the OPTIONS route opts out of the key itself.
    const fixed = report({
      apis: [api({ strategy: "preflight-exemption", preflightPaths: [] })],
      routes: [route()],
      optOuts: [{ api: "ItemsApi", route: "Fn.Events.Preflight (OPTIONS /items)", at: ["Resources", "Fn"] }],
    });

    // Act
    const found = findings(fixed);

    // Assert
    expect(found).toEqual([]);
    expect(exitCodeOf(found)).toBe(0);
  });

  it("finds the trap where an OPTIONS route of the user's own inherits the key", () => {
    // Arrange
    const inherited = report({
      apis: [api({ strategy: "pushdown", preflightPaths: [] })],
      routes: [
        route(),
        route({ route: "Fn.Events.Preflight (OPTIONS /items)", method: "OPTIONS", protection: "preflight" }),
      ],
    });

    // Act
    const found = findings(inherited);

    // Assert
    expect(found.map((finding) => finding.message)).toEqual([
      expect.stringContaining("OPTIONS /items (an OPTIONS route of yours that inherits the key)"),
    ]);
  });

  it("still finds the trap when routes exist only later (Fn::ForEach) or at a path known only at deploy", () => {
    // Arrange
    const hidden = report({
      apis: [api({ strategy: "preflight-exemption", preflightPaths: [] })],
      routes: [],
    });
    const unknownPath = report({
      apis: [api({ strategy: "preflight-exemption", preflightPaths: [] })],
      routes: [route({ path: undefined })],
    });

    // Act
    const rules = [hidden, unknownPath].map((input) => findings(input).map((finding) => finding.rule));

    // Assert
    expect(rules).toEqual([["preflight-requires-api-key"], ["preflight-requires-api-key"]]);
  });

  it("makes an error of an API the macro leaves with keyed preflights, by the report's flag, not its wording", () => {
    // Arrange
    const kept = (message: string, preflightsKeepKey?: true) =>
      report({
        apis: [api({ strategy: "unchanged", preflightPaths: [] })],
        warnings: [
          {
            at: ["Resources", "Api", "Properties"],
            message,
            ...(preflightsKeepKey ? { preflightsKeepKey } : {}),
          },
        ],
      });

    // Act
    const flagged = findings(kept("the body is included from S3, so an exemption is unsafe", true));
    const unflagged = findings(kept("preflights still require the key: x"));

    // Assert
    expect(flagged.map(({ rule, level }) => ({ rule, level }))).toEqual([
      { rule: "preflight-requires-api-key", level: "error" },
    ]);
    expect(exitCodeOf(flagged)).toBe(1);
    expect(unflagged.map(({ rule }) => rule)).toEqual(["rewrite-warning"]);
  });

  it("leaves an API the macro does not change to the report's warnings", () => {
    // Arrange
    const unchanged = report({
      apis: [api({ strategy: "unchanged" })],
      warnings: [
        {
          at: ["Resources", "Fn", "Properties", "Events", "Get"],
          message: "preflights still require the key: x",
        },
      ],
    });

    // Act
    const found = findings(unchanged);

    // Assert
    expect(found.map(({ rule, level }) => ({ rule, level }))).toEqual([
      { rule: "rewrite-warning", level: "warning" },
    ]);
    expect(placeOf(SOURCE, found[0]?.at ?? [])).toEqual({ line: 13, column: 9 });
    expect(exitCodeOf(found)).toBe(0);
  });

  it("makes an error of preflights that carry a default authorizer, at the DefaultAuthorizer", () => {
    // Arrange
    const authorizer = { name: "MyAuth", freed: true, changed: true, reason: "preflights carry no token" };
    const input = report({ apis: [api({ strategy: "unchanged", authorizer })] });

    // Act
    const found = findings(input);

    // Assert
    expect(found).toEqual([
      {
        rule: "preflight-requires-authorizer",
        level: "error",
        at: ["Resources", "Api", "Properties", "Auth", "DefaultAuthorizer"],
        message:
          "API Api: CORS preflights carry the default authorizer MyAuth, so browsers get 401 or 403 on them; the macro would set Auth.AddDefaultAuthorizerToCorsPreflight: false",
      },
    ]);
  });

  it("warns, without failing, about error answers without CORS headers, at the Cors setting", () => {
    // Arrange
    const gatewayResponses = { added: ["DEFAULT_4XX", "DEFAULT_5XX"], reason: "403s need CORS headers" };
    const input = report({ apis: [api({ strategy: "unchanged", gatewayResponses })] });

    // Act
    const found = findings(input);

    // Assert
    expect(found).toEqual([
      {
        rule: "error-responses-without-cors",
        level: "warning",
        at: ["Resources", "Api", "Properties", "Cors"],
        message:
          "API Api: API Gateway's own error answers carry no CORS headers, so browsers show a CORS error instead of the status; the macro would add them to DEFAULT_4XX, DEFAULT_5XX",
      },
    ]);
    expect(exitCodeOf(found)).toBe(0);
  });

  it("turns errors into notes when the macro is listed before SAM, and adds one when it is listed after", () => {
    // Act
    const before = findings(report(), "before-sam");
    const after = findings(report(), "after-sam");

    // Assert
    expect(before.map((finding) => finding.level)).toEqual(["note"]);
    expect(exitCodeOf(before)).toBe(0);
    expect(after.map((finding) => [finding.rule, finding.level])).toEqual([
      ["preflight-requires-api-key", "error"],
      ["macro-after-sam", "error"],
    ]);
  });
});

describe("reportText", () => {
  it("renders the strategy, preflights, authorizer, error answers, routes, opt-outs and warnings at their line", () => {
    // Arrange
    const input = report({
      apis: [
        api({
          authorizer: { name: "MyAuth", freed: true, changed: true, reason: "browsers send no token" },
          gatewayResponses: { added: ["DEFAULT_4XX"], reason: "a 403 needs CORS headers" },
        }),
      ],
      routes: [
        route(),
        route({ route: "Fn.Events.Pre (OPTIONS /items)", method: "OPTIONS", protection: "preflight" }),
      ],
      optOuts: [{ api: "Api", route: "Fn.Events.Open (GET /open)", at: ["Resources", "Fn"] }],
      warnings: [{ at: ["Resources", "Fn", "Properties", "Events", "Get"], message: "look here" }],
      changes: [["Resources"]],
    });

    // Act
    const text = reportText("t.yaml", input, "CorsKeyPushdown", PLAIN, (path) => placeOf(SOURCE, path));

    // Assert
    expect(text).toBe(
      [
        "t.yaml: 1 of 1 keyed API(s) changed, key added to 1 route(s), 1 change(s)",
        "  API Api: pushdown: every route now carries the key itself",
        "    preflights SAM generates: OPTIONS /items",
        "    default authorizer MyAuth: taken off the preflights: browsers send no token",
        "    error answers: CORS headers added to DEFAULT_4XX: a 403 needs CORS headers",
        "    Fn.Events.Get (GET /items): key added",
        "    Fn.Events.Pre (OPTIONS /items): answers preflights, no key",
        "    Fn.Events.Open (GET /open): opts out of the key",
        "  warning (t.yaml:13:9): look here",
        "  Transform: CorsKeyPushdown taken out (applied)",
        "",
      ].join("\n"),
    );
  });
});

describe("fileUri", () => {
  it.each([
    ["template.yaml", "template.yaml"],
    ["./sub dir/t.yaml", "sub%20dir/t.yaml"],
    ["a:b.yaml", "a%3Ab.yaml"],
    ["/abs/t #1.yaml", "file:///abs/t%20%231.yaml"],
    ["<stdin>", "stdin"],
  ])("writes %s as the URI %s", (file, uri) => {
    expect(fileUri(file)).toBe(uri);
  });
});
