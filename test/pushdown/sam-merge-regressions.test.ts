import { afterEach, describe, expect, it } from "vitest";
import { type JsonMap, pushDownApiKeys } from "../../src/pushdown";
import { expectPrototypeClean } from "../support/handler-run";

afterEach(expectPrototypeClean);

/**
 * Two wrong results the robustness work found in the core (both checked against the real SAM
 * translator), kept as regression tests now that they are fixed.
 */
describe("SAM's merge and body rules the core once got wrong", () => {
  function template(apiProperties: JsonMap, globals?: JsonMap): JsonMap {
    return JSON.parse(
      JSON.stringify({
        ...(globals ? { Globals: globals } : {}),
        Resources: {
          Api: { Type: "AWS::Serverless::Api", Properties: { StageName: "prod", ...apiProperties } },
          Fn: {
            Type: "AWS::Serverless::Function",
            Properties: {
              Runtime: "python3.12",
              Handler: "i.h",
              InlineCode: "x",
              Events: {
                Get: { Type: "Api", Properties: { Path: "/a", Method: "get", RestApiId: { Ref: "Api" } } },
              },
            },
          },
        },
      }),
    ) as JsonMap;
  }

  // SAM's Globals merge lets a local value of another type win, so `Auth: null` drops Globals.Api.Auth
  // for this API: SAM generates GET /a without api_key, so the macro must not add one.
  it("an API's own Auth: null shadows Globals.Api.Auth, so there is nothing to push down", () => {
    // Arrange
    const input = template({ Auth: null }, { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } });

    // Act
    const { report } = pushDownApiKeys(input);

    // Assert
    expect(report.changes).toEqual([]);
  });

  // SAM reads a falsy DefinitionBody ({} or []) as no body and generates the API from the events, CORS
  // preflights (with api_key) included. The macro must treat it the same way.
  it.each([{ body: {} }, { body: [] }])(
    "DefinitionBody $body is no body to SAM, so the preflights are freed",
    ({ body }) => {
      // Arrange
      const input = template({ Cors: "'*'", Auth: { ApiKeyRequired: true }, DefinitionBody: body });

      // Act
      const { report } = pushDownApiKeys(input);

      // Assert
      expect(report.apis.map((api) => api.strategy)).not.toContain("unchanged");
    },
  );
});
