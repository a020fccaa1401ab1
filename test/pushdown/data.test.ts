import { afterEach, describe, expect, it } from "vitest";
import { type JsonMap, pushDownApiKeys } from "../../src/pushdown";
import {
  copiedSubtrees,
  eventFor,
  expectPrototypeClean,
  outsideChanges,
  runHandler,
} from "../support/handler-run";

afterEach(expectPrototypeClean);

const KEYED_API = `{"Type": "AWS::Serverless::Api", "Properties": {"StageName": "prod", "Cors": "'*'",
  "Auth": {"ApiKeyRequired": true}}}`;

function route(extra = ""): string {
  return `{"Type": "AWS::Serverless::Function", "Properties": {"Runtime": "python3.12", "Handler": "i.h",
    "InlineCode": "x", "Events": {"Get": {"Type": "Api", "Properties": {"Path": "/a", "Method": "get",
    "RestApiId": {"Ref": "Api"}${extra}}}}}}`;
}

/** A keyed template from text, as the Lambda runtime hands it over, with `extra` resources spliced in. */
function fromText(extra: string, metadata = "null"): JsonMap {
  return JSON.parse(
    `{"Metadata": ${metadata}, "Resources": {"Api": ${KEYED_API}, "Fn": ${route()}${extra ? `, ${extra}` : ""}}}`,
  ) as JsonMap;
}

/**
 * Runs the core and the handler and checks the rewrite happened and left all else as it was, text for
 * text. The core's output is returned, for the identity (sharing) checks; the handler owns its event and
 * edits it in place (as in Lambda), so it gets a parsed copy and must answer with the same text.
 */
async function rewriteKeepsTheRest(input: JsonMap): Promise<JsonMap> {
  const text = JSON.stringify(input);
  const { template: output, report } = pushDownApiKeys(input);
  expect(report.changes.length).toBeGreaterThan(0);
  expect(JSON.stringify(outsideChanges(output, report.changes))).toBe(
    JSON.stringify(outsideChanges(input, report.changes)),
  );
  expect(JSON.stringify(input), "the core never modifies its input").toBe(text);
  const fragment = JSON.parse(text) as JsonMap;
  const response = await runHandler(eventFor(fragment));
  expect(response.status).toBe("success");
  expect(response.fragment, "copy-free: the answer is the event's own template").toBe(fragment);
  expect(JSON.stringify(response.fragment)).toBe(JSON.stringify(output));
  return output;
}

describe("data kept exactly", () => {
  it("keeps a thousand levels of nesting in Metadata, shared and untouched", async () => {
    // Arrange
    const deep = `${'{"a":'.repeat(1000)}[1]${"}".repeat(1000)}`;
    const input = fromText("", deep);

    // Act
    const output = await rewriteKeepsTheRest(input);

    // Assert
    expect(output.Metadata).toBe(input.Metadata);
    expect(JSON.stringify(output.Metadata)).toBe(deep);
  });

  it("keeps deep nesting even inside the route it edits", async () => {
    // Arrange
    const deep = `${"[".repeat(1000)}"x"${"]".repeat(1000)}`;
    const input = JSON.parse(
      `{"Resources": {"Api": ${KEYED_API}, "Fn": ${route(`, "Deep": ${deep}`)}}}`.replace(
        '"Events"',
        `"Tags": {"deep": ${JSON.stringify(deep)}}, "Events"`,
      ),
    ) as JsonMap;

    // Act
    const output = await rewriteKeepsTheRest(input);

    // Assert
    const properties = (o: JsonMap) =>
      (((((o.Resources as JsonMap).Fn as JsonMap).Properties as JsonMap).Events as JsonMap).Get as JsonMap)
        .Properties as JsonMap;
    expect(properties(output).Deep).toBe(properties(input).Deep);
  });

  it("keeps multi-megabyte strings and every unicode character, U+2028 and lone surrogates included", async () => {
    // Arrange
    const big = "x".repeat(3 * 1024 * 1024);
    const odd = 'line\u2028para\u2029nul\u0000emoji😀bom\ufeffrtl\u202etab\t\\"quote';
    const input = fromText(
      `"Big": {"Type": "AWS::SNS::Topic", "Metadata": {"big": "${big}", "odd": ${JSON.stringify(odd)}, "lone": "\\ud800"}}`,
    );

    // Act
    const output = await rewriteKeepsTheRest(input);

    // Assert
    const big2 = (output.Resources as JsonMap).Big as JsonMap;
    expect(big2).toBe((input.Resources as JsonMap).Big);
    expect(((big2.Metadata as JsonMap).big as string).length).toBe(big.length);
    expect((big2.Metadata as JsonMap).odd).toBe(odd);
    expect((big2.Metadata as JsonMap).lone).toBe("\ud800");
  });

  it("keeps keys named __proto__, constructor and prototype as data, in a model and an OpenAPI body", async () => {
    // Arrange
    const body = `{"swagger": "2.0", "paths": {"/a": {"get": {"responses": {}}, "__proto__": {"x": 1}}},
      "definitions": {"__proto__": {"type": "object", "properties": {"constructor": {"type": "string"},
      "prototype": {"type": "string"}, "__proto__": {"type": "number"}}}}}`;
    const models = `{"__proto__": {"type": "object"}, "constructor": {"type": "object"}, "prototype": {"a": 1}}`;
    const input = JSON.parse(`{"Resources": {
      "Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "p", "Cors": "'*'",
        "Auth": {"ApiKeyRequired": true}, "Models": ${models}}},
      "BodyApi": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "p", "Cors": "'*'",
        "Auth": {"ApiKeyRequired": true}, "DefinitionBody": ${body}}},
      "Fn": ${route(`, "Auth": {"__proto__": {"ApiKeyRequired": false}, "constructor": 1}`)}}}`) as JsonMap;

    // Act
    const output = await rewriteKeepsTheRest(input);

    // Assert
    const resources = output.Resources as JsonMap;
    const models2 = ((resources.Api as JsonMap).Properties as JsonMap).Models as JsonMap;
    expect(Object.keys(models2)).toEqual(["__proto__", "constructor", "prototype"]);
    expect(Object.getPrototypeOf(models2)).toBe(Object.prototype);
    const bodyOf = (r: JsonMap) => ((r.BodyApi as JsonMap).Properties as JsonMap).DefinitionBody as JsonMap;
    expect(bodyOf(resources)).toBe(bodyOf(input.Resources as JsonMap));
    expect(Object.keys(bodyOf(resources).definitions as JsonMap)).toEqual(["__proto__"]);
    const auth = (
      ((((resources.Fn as JsonMap).Properties as JsonMap).Events as JsonMap).Get as JsonMap)
        .Properties as JsonMap
    ).Auth as JsonMap;
    expect(Object.keys(auth)).toEqual(["__proto__", "constructor", "ApiKeyRequired"]);
    expect(Object.hasOwn(auth, "__proto__")).toBe(true);
    expect(auth.ApiKeyRequired).toBe(true);
    expect(Object.getPrototypeOf(auth)).toBe(Object.prototype);
  });

  it("keeps numbers as they parse and the key order of every map, edited ones included", async () => {
    // Arrange
    const numbers = `{"big": 12345678901234567890, "tiny": 1e-320, "neg": -0, "float": 0.1, "exp": 1E+300, "int": 42}`;
    const input =
      JSON.parse(`{"Z": 1, "Resources": {"Zed": {"Type": "AWS::SNS::Topic", "Metadata": ${numbers}},
      "Api": ${KEYED_API}, "Fn": ${route()}}, "A": 2, "Metadata": ${numbers}}`) as JsonMap;

    // Act
    const output = await rewriteKeepsTheRest(input);

    // Assert
    expect(Object.keys(output)).toEqual(["Z", "Resources", "A", "Metadata"]);
    expect(Object.keys(output.Resources as JsonMap)).toEqual(["Zed", "Api", "Fn"]);
    const auth = ((output.Resources as JsonMap).Api as JsonMap).Properties as JsonMap;
    expect(Object.keys(auth)).toEqual(["StageName", "Cors", "Auth", "GatewayResponses"]);
    expect(Object.is((output.Metadata as JsonMap).neg, -0)).toBe(true);
    expect(JSON.stringify(output.Metadata)).toBe(JSON.stringify(JSON.parse(numbers)));
  });

  it("copies only the maps on the way to an edit; every other subtree is the input's own object", () => {
    // Arrange
    const input = fromText(
      `"Other": ${route().replace('"Ref": "Api"', '"Ref": "Api"')}, "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Tags": [{"Key": "k", "Value": "v"}]}}`,
      `{"list": [1, {"a": 2}]}`,
    );

    // Act
    const { template: output, report } = pushDownApiKeys(input);

    // Assert
    expect(report.changes.length).toBeGreaterThan(0);
    expect(copiedSubtrees(input, output, report.changes)).toEqual([]);
    expect(output.Metadata).toBe(input.Metadata);
    expect((output.Resources as JsonMap).Topic).toBe((input.Resources as JsonMap).Topic);
    const fn = (t: JsonMap) => ((t.Resources as JsonMap).Fn as JsonMap).Properties as JsonMap;
    expect(fn(output)).not.toBe(fn(input));
    expect(fn(output).InlineCode).toBe(fn(input).InlineCode);
  });
});
