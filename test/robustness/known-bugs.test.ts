import { afterEach, describe, expect, it } from "vitest";
import { type JsonMap, pushDownApiKeys } from "../../src/pushdown";
import { expectPrototypeClean } from "./support";

afterEach(expectPrototypeClean);

/**
 * Wrong results of the core found by the robustness work, each checked against the real SAM translator.
 * The core's decision logic is not this suite's to change, so each is pinned with `it.fails`: the test
 * states the right behaviour, fails today, and turns red the day the bug is fixed, to be made a plain
 * `it` then.
 */
describe("known bugs in the core (it.fails: they assert the right behaviour)", () => {
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
  // for this API: SAM generates GET /a without api_key. The core reads the null as "no own Auth",
  // inherits the Globals key and writes ApiKeyRequired: true on the route: GET /a gains a key.
  it.fails("an API's own Auth: null shadows Globals.Api.Auth, so there is nothing to push down", () => {
    // Arrange
    const input = template({ Auth: null }, { Api: { Cors: "'*'", Auth: { ApiKeyRequired: true } } });

    // Act
    const { report } = pushDownApiKeys(input);

    // Assert
    expect(report.changes).toEqual([]);
  });

  // SAM reads a falsy DefinitionBody ({} or []) as no body and generates the API from the events, CORS
  // preflights (with api_key) included. The core takes it for a body it cannot read, leaves the API
  // unchanged and warns about "OPTIONS operations that are not mock preflights": the preflight keeps
  // its key. (`DefinitionBody: null` is handled: the preflight exemption applies.)
  it.fails.each([{ body: {} }, { body: [] }])(
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
