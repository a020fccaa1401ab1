import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCfnYaml } from "../../src/cfn-yaml";
import { type Json, pushDownApiKeys } from "../../src/pushdown";
import { runBuiltHandler } from "../support/built-handler";
import { fixtureFile, YAML11_ROUTES } from "./fixtures";
import { run, tempDir } from "./helpers";

/** The template as cfn-lint's loader (PyYAML, as the SAM CLI) reads it. */
function readWithPyYaml(text: string): Json {
  const file = join(tempDir(), "read.yaml");
  writeFileSync(file, text);
  const read = spawnSync("python3", [join(__dirname, "..", "support", "pyyaml_read.py"), file], {
    encoding: "utf8",
  });
  const result = JSON.parse(read.stdout) as { ok: boolean; value: Json; error?: string };
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const hasPyYaml = spawnSync("python3", ["-c", "import cfnlint.decode"]).status === 0;
if (!hasPyYaml && process.env.CI === "true") throw new Error("CI=true: cfn-lint is not installed");

describe("YAML 1.1 as the SAM CLI reads it", () => {
  it("pushes the key onto routes whose RestApiId and Auth come from merge keys", async () => {
    // Arrange
    const expected = pushDownApiKeys(parseCfnYaml(YAML11_ROUTES).value).template;

    // Act
    const result = await run(["-"], { stdin: YAML11_ROUTES });

    // Assert
    expect(result.code).toBe(0);
    expect(parseCfnYaml(result.stdout).value).toEqual(expected);
    const events = (parseCfnYaml(result.stdout).value as { Resources: { Fn: Json } }).Resources.Fn;
    expect(events).toMatchObject({
      Properties: {
        Events: {
          Merged: { Properties: { Auth: { InvokeRole: "CALLER_CREDENTIALS", ApiKeyRequired: true } } },
          MergedFlow: { Properties: { Auth: { InvokeRole: "CALLER_CREDENTIALS", ApiKeyRequired: true } } },
          OctalLooking: { Properties: { Auth: { ApiKeyRequired: "0o0" } } },
        },
      },
    });
    expect(result.stdout).toContain("            <<: *route   # RestApiId and Auth from the defaults\n");
  });

  it.skipIf(!hasPyYaml)("writes text that PyYAML reads as the built handler's answer", async () => {
    // Arrange
    const input = readWithPyYaml(YAML11_ROUTES);
    const response = await runBuiltHandler(structuredClone(input));

    // Act
    const result = await run(["-"], { stdin: YAML11_ROUTES });

    // Assert
    expect(response.status).toBe("success");
    expect(readWithPyYaml(result.stdout)).toEqual(response.fragment);
  });

  it("reads no and off as false: an opt-out, not a truthy string", async () => {
    // Arrange
    const text = YAML11_ROUTES.replace("ApiKeyRequired: 0o0", "ApiKeyRequired: off");

    // Act
    const report = pushDownApiKeys(parseCfnYaml(text).value).report;
    const result = await run(["--report", "-"], { stdin: text });

    // Assert
    expect(report.optOuts.map((optOut) => optOut.route)).toEqual(["Fn.Events.OctalLooking (POST /octal)"]);
    expect(result.stderr).toContain("Fn.Events.OctalLooking (POST /octal): opts out of the key");
  });
});

describe("hostile input", () => {
  it("answers an alias bomb with exit 2 within seconds", async () => {
    // Arrange: nine levels of ten aliases each would expand to 10^9 strings, in 1 KB.
    const levels = ['a0: &a0 "lol"'];
    for (let level = 1; level <= 9; level += 1)
      levels.push(
        `a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(", ")}]`,
      );
    const text = `Resources: {}\n${levels.join("\n")}\n`;
    const started = Date.now();

    // Act
    const result = await run(["-"], { stdin: text });

    // Assert
    expect(text.length).toBeLessThan(1100);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/too many aliases/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("rewrites a template with 2,000 aliases of an edited map within seconds, comments kept", async () => {
    // Arrange
    const aliases = Array.from({ length: 2000 }, (_, i) => `  Copy${i}: *auth   # copy ${i}`);
    const routes = Array.from({ length: 20 }, (_, i) =>
      [`        Get${i}:`, "          Type: Api", `          Properties: {Path: /p${i}, Method: get}`].join(
        "\n",
      ),
    );
    const text = [
      "Globals:",
      "  Api:",
      "    Cors: \"'*'\"",
      "    Auth: &auth",
      "      ApiKeyRequired: true",
      "Metadata:",
      ...aliases,
      "Resources:",
      "  Fn:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      Events:",
      ...routes,
      "",
    ].join("\n");
    const started = Date.now();

    // Act
    const result = await run(["-"], { stdin: text });

    // Assert
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    const output = parseCfnYaml(result.stdout).value as { Metadata: Record<string, Json>; Globals: Json };
    expect(output.Metadata.Copy1999).toEqual({ ApiKeyRequired: true });
    expect((output.Globals as { Api: object }).Api).toMatchObject({
      Cors: "'*'",
      Auth: { ApiKeyRequired: false },
    });
    expect(result.stdout).toContain("  Copy1999:   # copy 1999\n    ApiKeyRequired: true\n");
  });

  it("refuses a template saved as Latin-1 with exit 2 and the line, leaving the file as it was", async () => {
    // Arrange
    const bytes = Buffer.from("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n# caf\xe9\n", "latin1");
    const file = join(tempDir(), "latin1.yaml");
    writeFileSync(file, bytes);

    // Act
    const result = await run([file, "-o", file]);

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `${file}:4: byte 0xE9 is not UTF-8; save the file as UTF-8 (it was left as it is)\n`,
    );
    expect(readFileSync(file)).toEqual(bytes);
  });

  it("refuses duplicate keys in JSON with exit 2 and the line", async () => {
    // Arrange
    const text = '{\n  "Resources": {},\n  "Resources": {"A": {"Type": "AWS::SNS::Topic"}}\n}\n';

    // Act
    const result = await run(["-"], { stdin: text });

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '<stdin>:3: duplicate key "Resources": JSON readers differ on which one counts; keep one\n',
    );
  });

  it("refuses JSON with a byte order mark where the SAM CLI's YAML reading of it differs", async () => {
    // Arrange: Python's JSON reader refuses a BOM, so the SAM CLI reads the file as YAML 1.1, where 1e3
    // is a string; without the BOM both read the number 1000.
    const differs = `\uFEFF{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"N": 1e3}}}}\n`;
    const alike = `\uFEFF{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"N": 1.5}}}}\n`;

    // Act
    const refused = await run(["-"], { stdin: differs });
    const read = await run(["-"], { stdin: alike });

    // Assert
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^<stdin>:1: JSON with a byte order mark/);
    expect(read.code).toBe(0);
    expect(read.stdout).toBe(alike);
  });

  it("refuses a file without Resources: it is not a template", async () => {
    // Act
    const yaml = await run(["-"], { stdin: "AWSTemplateFormatVersion: '2010-09-09'\n" });
    const json = await run(["-"], { stdin: '{"Parameters": {}}' });

    // Assert
    for (const result of [yaml, json]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toBe("<stdin>: not a CloudFormation template: it has no Resources section\n");
    }
  });
});

describe("size", () => {
  it("rewrites a JSON template with 2,000 routes within seconds", async () => {
    // Arrange
    const resources: Record<string, Json> = {
      Api: {
        Type: "AWS::Serverless::Api",
        Properties: { StageName: "v1", Cors: "'*'", Auth: { ApiKeyRequired: true } },
      },
    };
    for (let i = 0; i < 2000; i += 1)
      resources[`Fn${i}`] = {
        Type: "AWS::Serverless::Function",
        Properties: {
          InlineCode: "x".repeat(100),
          Events: {
            Get: { Type: "Api", Properties: { RestApiId: { Ref: "Api" }, Path: `/p${i}`, Method: "get" } },
          },
        },
      };
    const text = JSON.stringify({ Resources: resources }, null, 2);
    const started = Date.now();

    // Act
    const result = await run(["-"], { stdin: text });

    // Assert
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(JSON.parse(result.stdout)).toEqual(pushDownApiKeys(JSON.parse(text)).template);
  });
});

describe("JSON in, JSON out, untouched bytes kept", () => {
  const numbers = '"Metadata": {"big": 123456789012345678901, "huge": 1e400, "zero": -0}';

  it("returns a JSON template with nothing to change byte for byte", async () => {
    // Arrange
    const text = `{${numbers},\n\t"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}`;

    // Act
    const result = await run(["-"], { stdin: text });

    // Assert
    expect(result).toEqual({ code: 0, stdout: text, stderr: "" });
  });

  it("edits a JSON template and keeps the bytes of everything it does not touch", async () => {
    // Arrange
    const text = [
      "{",
      '  "Transform": ["CorsKeyPushdown", "AWS::Serverless-2016-10-31"],',
      `  ${numbers},`,
      '  "Resources": {',
      '    "Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "v1", "Cors": "\'*\'",',
      '      "Auth": {"ApiKeyRequired": true}}},',
      '    "Fn": {',
      '      "Type": "AWS::Serverless::Function",',
      '      "Properties": {',
      '        "Events": {"Get": {"Type": "Api", "Properties": {"RestApiId": {"Ref": "Api"}, "Path": "/", "Method": "get"}}}',
      "      }",
      "    }",
      "  }",
      "}",
      "",
    ].join("\n");
    const file = fixtureFile(text, "template.json");

    // Act
    const result = await run([file, "-o", file]);

    // Assert
    expect(result.code).toBe(0);
    const written = readFileSync(file, "utf8");
    expect(written).toBe(
      text
        .replace('["CorsKeyPushdown", "AWS::Serverless-2016-10-31"]', '"AWS::Serverless-2016-10-31"')
        .replace(
          '"Auth": {"ApiKeyRequired": true}',
          `"Auth": {"ApiKeyRequired": false}, "GatewayResponses": {${["DEFAULT_4XX", "DEFAULT_5XX"].map((type) => `"${type}": {"ResponseParameters": {"Headers": {"Access-Control-Allow-Origin": "'*'"}}}`).join(", ")}}`,
        )
        .replace('"Method": "get"}', '"Method": "get", "Auth": {"ApiKeyRequired": true}}'),
    );
  });
});
