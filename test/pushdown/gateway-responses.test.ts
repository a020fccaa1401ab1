import { describe, expect, it } from "vitest";
import { type JsonMap, pushDownApiKeys, TemplateShapeError } from "../../src/pushdown";
import { api, at, fn, route, template } from "../support/sam";

/** A keyed API with Cors and one route, plus whatever the test adds to its Properties. */
function keyedApi(extra: JsonMap = {}, cors: JsonMap[string] = "'https://app.example.com'"): JsonMap {
  return template({
    Api: api({ Cors: cors, Auth: { ApiKeyRequired: true }, ...extra }),
    Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }),
  });
}

const responses = (output: JsonMap) => at(output, "Resources", "Api", "Properties", "GatewayResponses");

describe("CORS headers on API Gateway's error answers", () => {
  it("adds the preflights' origin to DEFAULT_4XX and DEFAULT_5XX", () => {
    // Act
    const { template: output, report } = pushDownApiKeys(keyedApi());

    // Assert
    const headers = {
      ResponseParameters: { Headers: { "Access-Control-Allow-Origin": "'https://app.example.com'" } },
    };
    expect(responses(output)).toEqual({ DEFAULT_4XX: headers, DEFAULT_5XX: headers });
    expect(report.apis[0]?.gatewayResponses?.added).toEqual(["DEFAULT_4XX", "DEFAULT_5XX"]);
  });

  it("copies an intrinsic origin as written and adds credentials where the preflights allow them", () => {
    // Arrange
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub, not a JS template
    const origin = { "Fn::Sub": "'https://${Domain}'" };
    const input = keyedApi({}, { AllowOrigin: origin, AllowCredentials: true });

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(at(responses(output), "DEFAULT_4XX", "ResponseParameters", "Headers")).toEqual({
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Credentials": "'true'",
    });
  });

  it("merges into the user's own responses and keeps a header they wrote, whatever its case", () => {
    // Arrange
    const own = {
      THROTTLED: { StatusCode: 429, ResponseParameters: { Headers: { "Retry-After": "'5'" } } },
      ACCESS_DENIED: {
        ResponseParameters: { Headers: { "access-control-allow-origin": "'https://other.example'" } },
      },
    };

    // Act
    const { template: output, report } = pushDownApiKeys(keyedApi({ GatewayResponses: own }));

    // Assert
    expect(at(responses(output), "THROTTLED")).toEqual({
      StatusCode: 429,
      ResponseParameters: {
        Headers: { "Retry-After": "'5'", "Access-Control-Allow-Origin": "'https://app.example.com'" },
      },
    });
    expect(at(responses(output), "ACCESS_DENIED")).toBe(own.ACCESS_DENIED);
    expect(report.apis[0]?.gatewayResponses?.added).toEqual(["DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED"]);
  });

  it("completes a response the body defines in the body, where SAM's property would replace it", () => {
    // Arrange
    const body = {
      swagger: "2.0",
      paths: {},
      "x-amazon-apigateway-gateway-responses": { UNAUTHORIZED: { statusCode: 401 } },
    };

    // Act
    const { template: output } = pushDownApiKeys(keyedApi({ DefinitionBody: body }));

    // Assert
    expect(
      at(
        output,
        "Resources",
        "Api",
        "Properties",
        "DefinitionBody",
        "x-amazon-apigateway-gateway-responses",
        "UNAUTHORIZED",
      ),
    ).toEqual({
      statusCode: 401,
      responseParameters: {
        "gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'",
      },
    });
    expect(at(responses(output), "UNAUTHORIZED")).toBeUndefined();
  });

  it.each<[string, JsonMap, RegExp]>([
    ["DefinitionUri", { DefinitionUri: "s3://bucket/api.yaml" }, /DefinitionUri/],
    ["an intrinsic GatewayResponses", { GatewayResponses: { "Fn::If": ["C", {}, {}] } }, /not a plain map/],
    [
      "an entry whose Headers are an intrinsic",
      { GatewayResponses: { THROTTLED: { ResponseParameters: { Headers: { Ref: "H" } } } } },
      /THROTTLED/,
    ],
  ])("leaves an API with %s alone and says why", (_name, extra, reason) => {
    // Act
    const { template: output, report } = pushDownApiKeys(keyedApi(extra));

    // Assert
    expect(report.apis[0]?.gatewayResponses).toEqual({ added: [], reason: expect.stringMatching(reason) });
    expect(JSON.stringify(responses(output))).toBe(
      JSON.stringify((extra as { GatewayResponses?: unknown }).GatewayResponses),
    );
  });

  it("leaves response types to the AWS::ApiGateway::GatewayResponse resources that set them", () => {
    // Arrange
    const input = keyedApi();
    (input.Resources as JsonMap).Quota = {
      Type: "AWS::ApiGateway::GatewayResponse",
      Properties: { RestApiId: { Ref: "Api" }, ResponseType: "DEFAULT_4XX" },
    };

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(Object.keys(responses(output) as JsonMap)).toEqual(["DEFAULT_5XX"]);
    expect(report.apis[0]?.gatewayResponses?.reason).toMatch(
      /DEFAULT_4XX left to the AWS::ApiGateway::GatewayResponse/,
    );
  });

  it("leaves an API alone when a GatewayResponse resource sets a type known only at deploy", () => {
    // Arrange
    const input = keyedApi();
    (input.Resources as JsonMap).Dynamic = {
      Type: "AWS::ApiGateway::GatewayResponse",
      Properties: {
        RestApiId: { Ref: "Api" },
        ResponseType: { "Fn::If": ["C", "DEFAULT_4XX", "THROTTLED"] },
      },
    };

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(responses(output)).toBeUndefined();
    expect(report.apis[0]?.gatewayResponses?.reason).toMatch(/known only at deploy/);
  });

  it("adds nothing when the template turns it off", () => {
    // Arrange
    const input = { ...keyedApi(), Metadata: { CorsKeyPushdown: { CorsHeadersOnErrorResponses: false } } };

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(responses(output)).toBeUndefined();
    expect(report.apis[0]?.gatewayResponses).toBeUndefined();
  });

  it("shares the implicit API's headers through Globals with an API that writes its own origin over them", () => {
    // Arrange
    const input = template(
      {
        Other: api({ Cors: "'https://other.example'", Auth: { ApiKeyRequired: true } }),
        Fn: fn({ Get: route("/x", "get"), Other: route("/y", "get", { RestApiId: "Other" }) }),
      },
      { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } },
    );

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(
      at(output, "Globals", "Api", "GatewayResponses", "DEFAULT_4XX", "ResponseParameters", "Headers"),
    ).toEqual({
      "Access-Control-Allow-Origin": "'*'",
    });
    expect(
      at(
        output,
        "Resources",
        "Other",
        "Properties",
        "GatewayResponses",
        "DEFAULT_4XX",
        "ResponseParameters",
        "Headers",
      ),
    ).toEqual({
      "Access-Control-Allow-Origin": "'https://other.example'",
    });
  });

  it("keeps an inheriting API that must not get them out of Globals with IgnoreGlobals", () => {
    // Arrange: Plain has no key, no authorizer, so its error answers are not the macro's to change.
    const input = template(
      {
        Plain: { ...api({ Cors: "'*'" }), IgnoreGlobals: ["Auth"] },
        Fn: fn({ Get: route("/x", "get"), Plain: route("/y", "get", { RestApiId: "Plain" }) }),
      },
      { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } },
    );

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Globals", "Api", "GatewayResponses")).toBeDefined();
    expect(at(output, "Resources", "Plain", "IgnoreGlobals")).toEqual(["Auth", "GatewayResponses"]);
    expect(at(output, "Resources", "Plain", "Properties")).toBe(
      at(input, "Resources", "Plain", "Properties"),
    );
  });

  it("pins out an inheriting API with a copy of the responses Globals gave it, where it writes none itself", () => {
    // Arrange
    const input = template(
      {
        Plain: { ...api({ Cors: "'*'" }), IgnoreGlobals: ["Auth"] },
        Fn: fn({ Get: route("/x", "get"), Plain: route("/y", "get", { RestApiId: "Plain" }) }),
      },
      {
        Api: {
          Cors: "'*'",
          Auth: { ApiKeyRequired: true },
          GatewayResponses: { THROTTLED: { StatusCode: 429 } },
        },
      },
    );

    // Act
    const { template: output } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Resources", "Plain", "IgnoreGlobals")).toEqual(["Auth", "GatewayResponses"]);
    expect(at(output, "Resources", "Plain", "Properties", "GatewayResponses")).toEqual({
      THROTTLED: { StatusCode: 429 },
    });
    expect(
      at(output, "Globals", "Api", "GatewayResponses", "THROTTLED", "ResponseParameters", "Headers"),
    ).toEqual({
      "Access-Control-Allow-Origin": "'*'",
    });
  });

  it("leaves the implicit API's answers alone where an inheriting API with edits of its own would get Globals' credentials", () => {
    // Arrange: the implicit API's answers allow credentials, Plain's must not; Plain writes its own origin.
    const input = template(
      {
        Plain: api({ Cors: "'https://p.example'" }),
        Fn: fn({ Get: route("/x", "get"), Plain: route("/y", "get", { RestApiId: "Plain" }) }),
      },
      {
        Api: {
          Cors: { AllowOrigin: "'https://c.example'", AllowCredentials: true },
          Auth: { ApiKeyRequired: true },
          GatewayResponses: { THROTTLED: { StatusCode: 429 } },
        },
      },
    );

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Globals", "Api", "GatewayResponses")).toBe(
      at(input, "Globals", "Api", "GatewayResponses"),
    );
    const implicit = report.apis.find((outcome) => outcome.api === "ServerlessRestApi");
    expect(implicit?.gatewayResponses).toEqual({
      added: [],
      reason: expect.stringMatching(/would also change Plain/),
    });
  });
});

describe("Metadata.CorsKeyPushdown settings", () => {
  it.each<[string, JsonMap, RegExp]>([
    [
      "an unknown setting",
      { KeepAuthorizers: true },
      /Metadata\.CorsKeyPushdown\.KeepAuthorizers: expected one of/,
    ],
    [
      "a setting that is not true or false",
      { CorsHeadersOnErrorResponses: "no" },
      /expected true or false, found string "no"/,
    ],
    ["settings that are not a map", ["x"] as never, /Metadata\.CorsKeyPushdown: expected a map/],
  ])("refuses %s, naming it", (_name, settings, message) => {
    // Arrange
    const input = { ...keyedApi(), Metadata: { CorsKeyPushdown: settings } };

    // Act
    const run = () => pushDownApiKeys(input);

    // Assert
    expect(run).toThrow(TemplateShapeError);
    expect(run).toThrow(message);
  });

  it("keeps a default authorizer on preflights when asked to", () => {
    // Arrange
    const input = template({
      Api: api({ Cors: "'*'", Auth: { DefaultAuthorizer: "AWS_IAM" } }),
      Fn: fn({ Get: route("/x", "get", { RestApiId: "Api" }) }),
    });
    input.Metadata = { CorsKeyPushdown: { KeepDefaultAuthorizerOnPreflights: true } };

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(at(output, "Resources", "Api", "Properties", "Auth")).toEqual({ DefaultAuthorizer: "AWS_IAM" });
    expect(report.apis[0]?.authorizer).toMatchObject({ freed: false, changed: false });
  });
});
