import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCfnYaml } from "../../src/cfn-yaml";
import { pushDownApiKeys } from "../../src/pushdown";
import { fixtureFile, KEYED_API } from "./fixtures";
import { lineDiff, run, tempDir } from "./helpers";

const KEYED = fixtureFile(KEYED_API, "keyed-api.yaml");

async function rewrite(text: string, extra: string[] = []): Promise<string> {
  const result = await run(["-", ...extra], { stdin: text });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

describe("YAML round trip", () => {
  it("changes only the lines of the pushdown and the Transform", async () => {
    // Arrange
    const input = readFileSync(KEYED, "utf8");

    // Act
    const result = await run([KEYED]);

    // Assert
    expect(result.code).toBe(0);
    expect(lineDiff(input, result.stdout)).toEqual({
      removed: [
        "Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]",
        "        ApiKeyRequired: true   # every route needs the key",
        "          Properties: {RestApiId: !Ref ItemsApi, Path: /items, Method: post}",
      ],
      added: [
        "Transform: AWS::Serverless-2016-10-31",
        "        ApiKeyRequired: false   # every route needs the key",
        // CORS headers on API Gateway's own error answers, in the API's Properties.
        "      GatewayResponses:",
        "        DEFAULT_4XX:",
        "          ResponseParameters:",
        "            Headers:",
        "              Access-Control-Allow-Origin: \"'*'\"",
        "        DEFAULT_5XX:",
        "          ResponseParameters:",
        "            Headers:",
        "              Access-Control-Allow-Origin: \"'*'\"",
        "            Auth:",
        "              ApiKeyRequired: true",
        "          Properties: {RestApiId: !Ref ItemsApi, Path: /items, Method: post, Auth: {ApiKeyRequired: true}}",
      ],
    });
  });

  it("keeps comments, short-form tags, quoting and key order", async () => {
    // Arrange
    const input = readFileSync(KEYED, "utf8");

    // Act
    const output = (await run([KEYED])).stdout;

    // Assert
    for (const kept of [
      "# A keyed REST API with CORS: the preflights would need the key.",
      "    Default: 'prod'   # single-quoted on purpose",
      "  IsProd: !Equals [!Ref Stage, prod]",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub, not a JS template
      '          TABLE: !Sub "${AWS::StackName}-items"',
      "    Value: !GetAtt ItemsApi.RootResourceId",
      "          STAGE: !If [IsProd, live, !Ref Stage]",
      "Description: >-",
    ])
      expect(output).toContain(kept);
    const topKeys = (text: string) => text.split("\n").filter((line) => /^[A-Z]\w*:/.test(line));
    expect(topKeys(output).map((line) => line.split(":")[0])).toEqual(
      topKeys(input).map((line) => line.split(":")[0]),
    );
  });

  it("reads back as the core's result with the macro taken out of Transform", async () => {
    // Arrange
    const input = readFileSync(KEYED, "utf8");
    const expected = pushDownApiKeys(parseCfnYaml(input).value).template;

    // Act
    const output = parseCfnYaml((await run([KEYED])).stdout).value;

    // Assert
    expect(output).toEqual({ ...expected, Transform: "AWS::Serverless-2016-10-31" });
  });

  it("writes a copied intrinsic in its short form", async () => {
    // Arrange
    const input = [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Api:",
      "    Type: AWS::Serverless::Api",
      "    Properties:",
      "      StageName: v1",
      "      Cors: \"'*'\"",
      "      Auth:",
      "        ApiKeyRequired: !If [IsProd, true, false]",
      "  Fn:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Events:",
      "        Get:",
      "          Type: Api",
      "          Properties:",
      "            RestApiId: !Ref Api",
      "            Path: /",
      "            Method: get",
      "",
    ].join("\n");

    // Act
    const output = await rewrite(input);

    // Assert
    expect(output).toContain("            Auth:\n              ApiKeyRequired: !If [IsProd, true, false]\n");
    expect(output).toContain("        ApiKeyRequired: false\n");
  });

  it("keeps a list when several transforms remain, in the list's own style", async () => {
    // Arrange
    const input = [
      "Transform:",
      "  - AWS::LanguageExtensions",
      "  - CorsKeyPushdown   # must run before SAM",
      "  - 'AWS::Serverless-2016-10-31'",
      "Resources:",
      "  Topic:",
      "    Type: AWS::SNS::Topic",
      "",
    ].join("\n");

    // Act
    const output = await rewrite(input);

    // Assert: nothing to push down, yet the applied macro is gone
    expect(lineDiff(input, output)).toEqual({
      removed: ["  - CorsKeyPushdown   # must run before SAM"],
      added: [],
    });
  });

  it("drops Transform when the macro was the only one, and honours --macro-name", async () => {
    // Arrange
    const only = "Transform: CorsKeyPushdown\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
    const renamed = 'Transform: [MyPushdown, "AWS::Serverless-2016-10-31"]\nResources: {}\n';

    // Act
    const first = await rewrite(only);
    const second = await rewrite(renamed, ["--macro-name", "MyPushdown"]);

    // Assert
    expect(first).toBe("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n");
    expect(second).toBe('Transform: "AWS::Serverless-2016-10-31"\nResources: {}\n');
  });

  it("returns a template that needs nothing byte for byte", async () => {
    // Arrange
    const input =
      "# plain\nTransform: AWS::Serverless-2016-10-31\nResources:   # spaced\n    Topic:\n        Type: AWS::SNS::Topic\n";

    // Act
    const output = await rewrite(input);

    // Assert
    expect(output).toBe(input);
  });

  it("follows four-space indentation and CRLF line ends", async () => {
    // Arrange
    const input = [
      "Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]",
      "Globals:",
      "    Api:",
      "        Cors: \"'*'\"",
      "        Auth:",
      "            ApiKeyRequired: true",
      "Resources:",
      "    Fn:",
      "        Type: AWS::Serverless::Function",
      "        Properties:",
      "            Events:",
      "                Get:",
      "                    Type: Api",
      "                    Properties:",
      "                        Path: /",
      "                        Method: get",
      "",
    ].join("\r\n");

    // Act
    const output = await rewrite(input);

    // Assert
    expect(lineDiff(input, output)).toEqual({
      removed: [
        "Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]\r",
        "            ApiKeyRequired: true\r",
      ],
      added: [
        "Transform: AWS::Serverless-2016-10-31\r",
        "            ApiKeyRequired: false\r",
        "        GatewayResponses:\r",
        "            DEFAULT_4XX:\r",
        "                ResponseParameters:\r",
        "                    Headers:\r",
        "                        Access-Control-Allow-Origin: \"'*'\"\r",
        "            DEFAULT_5XX:\r",
        "                ResponseParameters:\r",
        "                    Headers:\r",
        "                        Access-Control-Allow-Origin: \"'*'\"\r",
        "                        Auth:\r",
        "                            ApiKeyRequired: true\r",
      ],
    });
  });

  it("keeps the meaning when an edited map is shared through an anchor", async () => {
    // Arrange
    const input = [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Api:",
      "    Type: AWS::Serverless::Api",
      "    Properties:",
      "      StageName: v1",
      "      Cors: \"'*'\"",
      "      Auth: {ApiKeyRequired: true}",
      "  Fn:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Events:",
      "        Get:",
      "          Type: Api",
      "          Properties: &props",
      "            RestApiId: !Ref Api",
      "            Path: /a",
      "            Method: get",
      "  Other:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Events:",
      "        Get:",
      "          Type: Api",
      "          Properties: *props",
      "",
    ].join("\n");
    const expected = pushDownApiKeys(parseCfnYaml(input).value).template;

    // Act
    const result = await run(["-"], { stdin: input });

    // Assert
    expect(result.code).toBe(0);
    expect(parseCfnYaml(result.stdout).value).toEqual(expected);
    expect(result.stdout).toContain("Transform: AWS::Serverless-2016-10-31");
  });
});

describe("JSON round trip", () => {
  it("writes JSON for JSON, with the input's indentation and final newline", async () => {
    // Arrange
    const yaml = readFileSync(KEYED, "utf8");
    const template = parseCfnYaml(yaml).value;
    const dir = tempDir();
    const file = join(dir, "template.json");
    writeFileSync(file, `${JSON.stringify(template, null, 4)}\n`);
    const expected = { ...pushDownApiKeys(template).template, Transform: "AWS::Serverless-2016-10-31" };

    // Act
    const result = await run([file, "-o", join(dir, "out.json")]);

    // Assert
    const written = readFileSync(join(dir, "out.json"), "utf8");
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(written).toBe(`${JSON.stringify(expected, null, 4)}\n`);
  });

  it("keeps a one-line JSON template on one line, without a newline it did not have", async () => {
    // Arrange
    const input = '{"Transform":["CorsKeyPushdown","AWS::Serverless-2016-10-31"],"Resources":{}}';

    // Act
    const output = await rewrite(input);

    // Assert
    expect(output).toBe('{"Transform":"AWS::Serverless-2016-10-31","Resources":{}}');
  });
});
