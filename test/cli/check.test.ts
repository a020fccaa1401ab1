import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureFile, KEYED_API_SAM_ONLY } from "./fixtures";
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

describe("--check and the macro's place in Transform", () => {
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

  it("exits 0 with a note when the macro is listed before SAM, since it fixes the template at deploy", async () => {
    // Arrange
    const path = file("listed.yaml", keyedWith("[CorsKeyPushdown, AWS::Serverless-2016-10-31]"));

    // Act
    const result = await run(["--check", path]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/listed\.yaml:9: note: API Api: CORS preflights require the API key/);
  });

  it("exits 1 when the macro is listed after SAM, where it would fix nothing", async () => {
    // Arrange
    const path = file("late.yaml", keyedWith("[AWS::Serverless-2016-10-31, CorsKeyPushdown]"));

    // Act
    const result = await run(["--check", path]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/CorsKeyPushdown is listed after AWS::Serverless-2016-10-31 in Transform/);
  });

  it("exits 1 when the macro is not listed", async () => {
    // Arrange
    const path = file("plain.yaml", keyedWith("AWS::Serverless-2016-10-31"));

    // Act
    const result = await run(["--check", path]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/plain\.yaml:9: error: API Api/);
  });
});

describe("--check", () => {
  it("exits 1 and names the API, its preflights and the line of ApiKeyRequired", async () => {
    // Arrange
    const argv = ["--check", KEYED];

    // Act
    const result = await run(argv);

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `${KEYED}:25: error: API ItemsApi: CORS preflights require the API key (OPTIONS /items); the macro would move the key from Auth.ApiKeyRequired to the routes\n`,
    );
    expect(result.stderr).toContain("cors-key-pushdown");
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
    expect(result.stdout).toMatch(new RegExp(`^${path}:5: error: API ServerlessRestApi: .*\\(OPTIONS /x\\)`));
  });

  it("exits 0 and prints nothing for a safe template", async () => {
    // Arrange
    const path = file("safe.yaml", SAFE);

    // Act
    const result = await run(["--check", path]);

    // Assert
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("checks several files (as pre-commit passes them) and keeps the worst exit code", async () => {
    // Arrange
    const safe = file("safe.yaml", SAFE);
    const missing = join(tempDir(), "missing.yaml");

    // Act
    const mixed = await run(["--check", safe, KEYED]);
    const broken = await run(["--check", KEYED, missing]);

    // Assert
    expect(mixed.code).toBe(1);
    expect(broken.code).toBe(2);
  });

  it("adds a summary on stderr with --report and writes no template", async () => {
    // Act
    const result = await run(["--check", "--report", KEYED]);

    // Assert
    expect(result.stderr).toContain("API ItemsApi: pushdown");
    expect(result.stdout).not.toContain("Resources:");
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
      /list\.yaml:1: not a CloudFormation template/,
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
    [["--nope", KEYED], /unknown option --nope/],
    [[], /no template given/],
    [[KEYED, KEYED], /only --check takes several/],
    [["-o"], /-o needs a value/],
  ])("exits 2 on the usage %j", async (argv, message) => {
    // Act
    const result = await run(argv);

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe("help, version and colour", () => {
  it("prints help and the package version", async () => {
    // Act
    const help = await run(["--help"]);
    const version = await run(["--version"]);

    // Assert
    expect(help.stdout).toContain("--check");
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
