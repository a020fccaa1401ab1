import { describe, expect, it } from "vitest";
import type { Json, JsonMap } from "../../src/pushdown/json";
import { readRoutes, routeLists } from "../../src/pushdown/routes";

/** A function whose events are `Api` events with these `RestApiId`s (`undefined`: none written). */
function functionWith(restApiIds: Record<string, Json | undefined>): JsonMap {
  const events: JsonMap = {};
  for (const [name, restApiId] of Object.entries(restApiIds)) {
    const properties: JsonMap = { Path: `/${name}`, Method: "get" };
    if (restApiId !== undefined) properties.RestApiId = restApiId;
    events[name] = { Type: "Api", Properties: properties };
  }
  return { Type: "AWS::Serverless::Function", Properties: { Events: events } };
}

/** The event names in each list, by list. */
function read(explicitApis: string[], restApiIds: Record<string, Json | undefined>) {
  const lists = routeLists(explicitApis);
  readRoutes("Fn", true, functionWith(restApiIds), () => {}, lists);
  return Object.fromEntries(
    [...lists].map(([api, routes]) => [String(api), routes.map((route) => route.event)]),
  );
}

describe("routeLists and readRoutes", () => {
  it("start an empty list for each explicit API, the implicit API and routes naming none", () => {
    expect(read(["Api"], {})).toEqual({ ServerlessRestApi: [], undefined: [], Api: [] });
  });

  it("link routes the way SAM links them: none written or ServerlessRestApi to the implicit API, X and {Ref: X} to X", () => {
    // Act
    const lists = read(["Api"], {
      Plain: undefined,
      Named: "ServerlessRestApi",
      RefImplicit: { Ref: "ServerlessRestApi" },
      Id: "Api",
      Ref: { Ref: "Api" },
    });

    // Assert
    expect(lists).toEqual({
      ServerlessRestApi: ["Plain", "Named", "RefImplicit"],
      undefined: [],
      Api: ["Id", "Ref"],
    });
  });

  it("keep routes naming anything but a SAM API of the template apart, with no API", () => {
    // Act
    const lists = routeLists(["Api"]);
    readRoutes(
      "Fn",
      true,
      functionWith({
        Other: "Table",
        Attr: { "Fn::GetAtt": ["Api", "RootResourceId"] },
        RefNumber: { Ref: 1 },
      }),
      () => {},
      lists,
    );

    // Assert
    const outside = lists.get(undefined) ?? [];
    expect(outside.map((route) => [route.event, route.apiId])).toEqual([
      ["Other", undefined],
      ["Attr", undefined],
      ["RefNumber", undefined],
    ]);
  });

  it("refuse a RestApiId SAM would not read as an API, naming the place", () => {
    expect(() => read(["Api"], { Bad: null })).toThrow(
      "Resources.Fn.Properties.Events.Bad.Properties.RestApiId: expected a logical id or {Ref: MyApi}, found null",
    );
    expect(() => read(["Api"], { Bad: ["Api"] })).toThrow("found a list");
  });
});
