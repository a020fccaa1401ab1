import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCfnYaml } from "../../src/cfn-yaml";
import { shellWord } from "../../src/cli/commands/check";
import { restApiMethods } from "../../src/processed/methods";
import type { Json } from "../../src/pushdown";
import { expandForEach } from "../support/foreach";
import { type Translation, translateBatch, translatorMissing } from "../support/translator";
import { FIXED_BY_HAND, fixtureFile, INCLUDED_BODY, KEYED_API_SAM_ONLY, OPENAPI_FILE } from "./fixtures";
import { run, tempDir } from "./helpers";

const KEYED = fixtureFile(KEYED_API_SAM_ONLY, "keyed-api-sam-only.yaml");

function file(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

const SAFE = [
  "Transform: AWS::Serverless-2016-10-31",
  "Resources:",
  "  Api:",
  "    Type: AWS::Serverless::Api",
  "    Properties:",
  "      StageName: v1",
  "      Cors: \"'*'\"",
  "",
].join("\n");

const keyedWith = (transform: string) =>
  [
    `Transform: ${transform}`,
    "Resources:",
    "  Api:",
    "    Type: AWS::Serverless::Api",
    "    Properties:",
    "      StageName: v1",
    "      Cors: \"'*'\"",
    "      Auth:",
    "        ApiKeyRequired: true",
    "  Fn:",
    "    Type: AWS::Serverless::Function",
    "    Properties:",
    "      Events:",
    "        Get: {Type: Api, Properties: {Path: /x, Method: get, RestApiId: !Ref Api}}",
    "",
  ].join("\n");

describe("--check: findings as linters print them", () => {
  it("exits 1 with file:line:col: error: message [rule] at the ApiKeyRequired that causes it", async () => {
    // Act
    const result = await run(["--check", KEYED]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `${KEYED}:25:9: error: API ItemsApi: CORS preflights require the API key (OPTIONS /items); the macro would move the key from Auth.ApiKeyRequired to the routes [preflight-requires-api-key]\n` +
        `${KEYED}:21:7: warning: API ItemsApi: API Gateway's own error answers carry no CORS headers, so browsers show a CORS error instead of the status; the macro would add them to DEFAULT_4XX, DEFAULT_5XX [error-responses-without-cors]\n`,
    );
    expect(result.stderr).toBe(
      `${KEYED}: fix: list CorsKeyPushdown first in Transform, or rewrite with: cors-key-pushdown ${KEYED} -o ${KEYED}\n`,
    );
  });

  it("points at Globals when the key comes from there", async () => {
    // Arrange
    const path = file(
      "globals.yaml",
      [
        "Globals:",
        "  Api:",
        "    Cors: \"'*'\"",
        "    Auth:",
        "      ApiKeyRequired: true",
        "Resources:",
        "  Fn:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        "      Events:",
        "        Get: {Type: Api, Properties: {Path: /x, Method: get}}",
        "",
      ].join("\n"),
    );

    // Act
    const result = await run(["--check", path]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`^${path}:5:7: error: API ServerlessRestApi: .*\\(OPTIONS /x\\)`),
    );
  });

  it("exits 0 and prints nothing for a safe template", async () => {
    // Act
    const result = await run(["--check", file("safe.yaml", SAFE)]);

    // Assert
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("checks several files (as pre-commit passes them) and keeps the worst exit code", async () => {
    // Arrange
    const safe = file("safe.yaml", SAFE);
    const missing = join(tempDir(), "missing.yaml");

    // Act
    const mixed = await run(["--check", safe, KEYED]);
    const broken = await run(["--check", missing, KEYED]);

    // Assert
    expect(mixed.code).toBe(1);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain("[preflight-requires-api-key]");
  });

  it("adds a summary on stderr with --report and writes no template", async () => {
    // Act
    const result = await run(["--check", "--report", KEYED]);

    // Assert
    expect(result.stderr).toContain("API ItemsApi: pushdown");
    expect(result.stderr).toContain("preflights SAM generates: OPTIONS /items");
    expect(result.stdout).not.toContain("Resources:");
  });

  it("quotes file names with spaces in the suggested command, and suggests no - -o - for stdin", async () => {
    // Arrange
    const spaced = join(tempDir(), "my templates", "api template.yaml");
    mkdirSync(join(spaced, ".."));
    writeFileSync(spaced, KEYED_API_SAM_ONLY);

    // Act
    const onDisk = await run(["--check", spaced]);
    const piped = await run(["--check", "-"], { stdin: KEYED_API_SAM_ONLY });

    // Assert
    expect(onDisk.stderr).toContain(`rewrite with: cors-key-pushdown '${spaced}' -o '${spaced}'\n`);
    expect(piped.stderr).toContain("rewrite with: cors-key-pushdown TEMPLATE -o TEMPLATE\n");
    expect(piped.stderr).not.toContain("- -o -");
  });

  it.each([
    ["template.yaml", "template.yaml"],
    ["my template.yaml", "'my template.yaml'"],
    ["it's.yaml", "'it'\\''s.yaml'"],
    ["-odd.yaml", "./-odd.yaml"],
    ["$(rm -rf).yaml", "'$(rm -rf).yaml'"],
  ])("writes %s as the shell word %s", (name, word) => {
    expect(shellWord(name)).toBe(word);
  });
});

describe("--check and the macro's place in Transform", () => {
  it("exits 0 with a note when the macro is listed before SAM, since it fixes the template at deploy", async () => {
    // Arrange
    const path = file("listed.yaml", keyedWith("[CorsKeyPushdown, AWS::Serverless-2016-10-31]"));

    // Act
    const result = await run(["--check", path]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/listed\.yaml:9:9: note: API Api: CORS preflights require the API key/);
  });

  it("exits 1 when the macro is listed after SAM, where it would fix nothing", async () => {
    // Arrange
    const path = file("late.yaml", keyedWith("[AWS::Serverless-2016-10-31, CorsKeyPushdown]"));

    // Act
    const result = await run(["--check", path]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${path}:1:1: error: CorsKeyPushdown is listed after AWS::Serverless-2016-10-31 in Transform, so it would see SAM's output and fix nothing; list it first [macro-after-sam]\n`,
    );
  });

  it("exits 1 when the macro is not listed", async () => {
    // Act
    const result = await run(["--check", file("plain.yaml", keyedWith("AWS::Serverless-2016-10-31"))]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/plain\.yaml:9:9: error: API Api/);
  });
});

describe("--check on templates fixed by hand and bodies from files", () => {
  it("finds no error where the user's own OPTIONS routes answer every preflight without a key", async () => {
    // Act
    const result = await run(["--check", file("fixed.yaml", FIXED_BY_HAND)]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/: error: /);
  });

  it("reads an AWS::Include body from its file, relative to the template, and finds the trap", async () => {
    // Arrange
    const dir = tempDir();
    mkdirSync(join(dir, "api spec"));
    writeFileSync(join(dir, "api spec", "openapi.yaml"), OPENAPI_FILE);
    const template = join(dir, "template.yaml");
    writeFileSync(template, INCLUDED_BODY);

    // Act
    const result = await run(["--check", template]);
    const rewrite = await run([template]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${template}:9:9: error: API Api: CORS preflights require the API key (OPTIONS /items); the macro would set Auth.AddApiKeyRequiredToCorsPreflight: false [preflight-requires-api-key]\n`,
    );
    expect(rewrite.code).toBe(0);
    // The deployed macro sees the body inlined by CloudFormation, with no gateway responses of its own.
    const headers = "            Headers:\n              Access-Control-Allow-Origin: \"'*'\"\n";
    expect(rewrite.stdout).toBe(
      `${INCLUDED_BODY.replace(
        "ApiKeyRequired: true\n",
        "ApiKeyRequired: true\n        AddApiKeyRequiredToCorsPreflight: false\n",
      )}      GatewayResponses:\n        DEFAULT_4XX:\n          ResponseParameters:\n${headers}        DEFAULT_5XX:\n          ResponseParameters:\n${headers}`,
    );
  });

  it("exits 2 with the line when the included file is missing", async () => {
    // Act
    const result = await run(["--check", file("template.yaml", INCLUDED_BODY)]);

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /template\.yaml:10: DefinitionBody includes \.\/api spec\/openapi\.yaml: no such file \(read relative to the template\)\n$/,
    );
  });
});

describe("--format json and sarif", () => {
  it("prints one JSON document with every finding and every file that could not be read", async () => {
    // Arrange
    const missing = join(tempDir(), "missing.yaml");

    // Act
    const result = await run(["--check", "--format", "json", KEYED, missing]);

    // Assert
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      findings: [
        {
          file: KEYED,
          line: 25,
          column: 9,
          level: "error",
          rule: "preflight-requires-api-key",
          message: expect.stringContaining("API ItemsApi: CORS preflights require the API key"),
        },
        {
          file: KEYED,
          line: 21,
          column: 7,
          level: "warning",
          rule: "error-responses-without-cors",
          message: expect.stringContaining(
            "API ItemsApi: API Gateway's own error answers carry no CORS headers",
          ),
        },
      ],
      failures: [{ file: missing, message: `${missing}: no such file` }],
    });
  });

  it("prints a SARIF 2.1.0 log: one result per finding with file, line, column and a rule id", async () => {
    // Arrange
    const dir = tempDir();
    const relative = "keyed api.yaml";
    writeFileSync(join(dir, relative), KEYED_API_SAM_ONLY);
    const cwd = process.cwd();

    // Act
    process.chdir(dir);
    const result = await run(["--check", "--format=sarif", relative]).finally(() => process.chdir(cwd));

    // Assert
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const [runLog] = log.runs;
    expect(runLog.tool.driver.name).toBe("cors-key-pushdown");
    const ruleIds = runLog.tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(runLog.results).toEqual([
      {
        ruleId: "preflight-requires-api-key",
        ruleIndex: ruleIds.indexOf("preflight-requires-api-key"),
        level: "error",
        message: { text: expect.stringContaining("API ItemsApi") },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "keyed%20api.yaml" },
              region: { startLine: 25, startColumn: 9 },
            },
          },
        ],
      },
      {
        ruleId: "error-responses-without-cors",
        ruleIndex: ruleIds.indexOf("error-responses-without-cors"),
        level: "warning",
        message: { text: expect.stringContaining("API ItemsApi: API Gateway's own error answers") },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "keyed%20api.yaml" },
              region: { startLine: 21, startColumn: 7 },
            },
          },
        ],
      },
    ]);
    expect(runLog.invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
    expect(result.stderr).toBe("");
  });

  it("refuses --format without --check, and an unknown format", async () => {
    // Act
    const rewrite = await run(["--format", "json", KEYED]);
    const unknown = await run(["--check", "--format", "xml", KEYED]);

    // Assert
    expect(rewrite).toMatchObject({ code: 2, stderr: expect.stringMatching(/--format is for --check/) });
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringMatching(/--format must be one of/) });
  });
});

describe("bad input", () => {
  const cases: [string, () => string[], RegExp][] = [
    ["a missing file", () => [join(tempDir(), "nope.yaml")], /nope\.yaml: no such file$/],
    [
      "broken YAML, with its line",
      () => [file("broken.yaml", "Resources:\n  A: [1, 2\n  B: 3\n")],
      /broken\.yaml:\d+: .+/,
    ],
    [
      "a list instead of a template",
      () => [file("list.yaml", "- a\n- b\n")],
      /list\.yaml:1: not a CloudFormation template: expected a map of sections \(Resources, \.\.\.\), found a list$/,
    ],
    [
      "an unknown tag",
      () => [file("tag.yaml", "Resources:\n  A:\n    Type: !Nope x\n")],
      /tag\.yaml:3: unknown tag !Nope$/,
    ],
    [
      "a template of the wrong shape, at the line of the bad part",
      () => [
        file(
          "shape.yaml",
          "Globals:\n  Api:\n    Auth:\n      ApiKeyRequired: true\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events: [1]\n",
        ),
      ],
      /shape\.yaml:9: Resources\.Fn\.Properties\.Events: expected a map.*, found a list$/,
    ],
    ["invalid JSON", () => [file("bad.json", '{\n  "Resources": {,\n}\n')], /bad\.json:2: invalid JSON/],
    ["a directory", () => [tempDir()], /is a directory/],
  ];

  it.each(cases)("exits 2 with one line for %s", async (_name, argv, message) => {
    // Arrange
    const args = argv();

    // Act
    const result = await run(args);

    // Assert
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
  });

  it.each([
    [["--nope", KEYED], /Unknown option '--nope'/],
    [[], /no template given/],
    [[KEYED, KEYED], /only --check takes several/],
    [["-o"], /argument missing/],
    [["--check", KEYED, "-o", "out.yaml"], /--check writes no template/],
    [["--check", "-", "-"], /standard input \(-\) can be read only once/],
    [["--macro-name=", KEYED], /expected a value/],
  ])("exits 2 on the usage %j, with one line", async (argv, message) => {
    // Act
    const result = await run(argv);

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("help, version and colour", () => {
  it("prints help and the package version", async () => {
    // Act
    const help = await run(["--help"]);
    const version = await run(["--version"]);

    // Assert
    expect(help.stdout).toContain("--format FORMAT");
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("colours only a terminal without NO_COLOR", async () => {
    // Act
    const tty = await run(["--check", KEYED], { isTty: true });
    const noColor = await run(["--check", KEYED], { isTty: true, env: { NO_COLOR: "1" } });
    const piped = await run(["--check", KEYED]);

    // Assert
    expect(tty.stdout).toContain("\u001b[");
    expect(noColor.stdout).not.toContain("\u001b[");
    expect(piped.stdout).not.toContain("\u001b[");
  });
});

const skip = translatorMissing();

describe.skipIf(skip !== undefined)("--check agrees with the real SAM translator on the corpus", () => {
  const CORPUS = join(__dirname, "..", "conformance", "templates");
  const files = readdirSync(CORPUS).filter((name) => name.endsWith(".yaml"));
  let translations: Map<string, Translation>;

  beforeAll(async () => {
    const batch = new Map<string, Json>();
    for (const name of files)
      batch.set(name, expandForEach(parseCfnYaml(readFileSync(join(CORPUS, name), "utf8")).value));
    translations = await translateBatch(batch);
  });

  it.each(files)(
    "%s: an error exactly for the APIs whose SAM output has keyed preflights (or a warning why not)",
    async (name) => {
      // Arrange
      const path = join(CORPUS, name);
      const translation = translations.get(name) as Translation;
      if (!translation.ok) throw new Error(`SAM rejects ${name}: ${translation.error}`);
      const resources = (parseCfnYaml(readFileSync(path, "utf8")).value as { Resources: object }).Resources;
      // APIs Fn::ForEach generates are not in the template: nothing can point at them.
      const written = (api: string) => api === "ServerlessRestApi" || Object.hasOwn(resources, api);
      // What browsers hit for a preflight: SAM's mock preflights, and OPTIONS handlers of the user's own.
      const keyed = new Set(
        restApiMethods(translation.output)
          .filter((method) => method.method.toLowerCase() === "options" && method.apiKeyRequired)
          .map((method) => method.api),
      );

      // Act
      const result = await run(["--check", "--format", "json", "--macro-name", "NotListed", path]);
      const findings = (
        JSON.parse(result.stdout) as { findings: { level: string; rule: string; message: string }[] }
      ).findings;

      // Assert
      const apiOf = (message: string) => /^API (\S+?):/.exec(message)?.[1];
      const errors = new Set(
        findings.filter((f) => f.rule === "preflight-requires-api-key").map((f) => apiOf(f.message)),
      );
      const warned = findings.filter((f) => f.level === "warning").map((f) => f.message);
      expect([...errors].filter((api) => api === undefined || !keyed.has(api))).toEqual([]);
      for (const api of [...keyed].filter(written))
        expect(
          errors.has(api) || warned.some((message) => message.startsWith("preflights still require the key")),
          `${api} has keyed preflights in SAM's output`,
        ).toBe(true);
      // Preflights a default authorizer blocks are findings too, never one where SAM's preflights carry none.
      const authorized = new Set(
        restApiMethods(translation.output)
          .filter((m) => m.preflight && m.authorizers.some((entry) => !Object.hasOwn(entry, "NONE")))
          .map((m) => m.api),
      );
      const authorizerErrors = findings
        .filter((f) => f.rule === "preflight-requires-authorizer")
        .map((f) => apiOf(f.message));
      expect(authorizerErrors.filter((api) => api === undefined || !authorized.has(api))).toEqual([]);
      expect(result.code).toBe(findings.some((f) => f.level === "error") ? 1 : 0);
    },
  );
});
