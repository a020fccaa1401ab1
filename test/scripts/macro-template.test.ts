import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { requireTool } from "../aws/support";

// Built by `npm run build` (npm test runs it first).
const MACRO_TEMPLATE = resolve("dist/macro.template.json");
const HANDLER = resolve("dist/handler.js");
const SAM_TEMPLATE = resolve("template.yaml");

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
interface Template {
  Transform?: unknown;
  Description?: string;
  Metadata?: Record<string, Record<string, unknown>>;
  Conditions?: Record<string, unknown>;
  Parameters: Record<string, Record<string, unknown>>;
  Resources: Record<string, Resource>;
}
interface MacroTemplateModule {
  writeMacroTemplate(options?: {
    samPath?: string;
    handlerPath?: string;
    outPath?: string;
    limit?: number;
  }): Promise<{ path: string; bytes: number }>;
  toMacroTemplate(samText: string, handlerCode: string): Template;
  TEMPLATE_BODY_LIMIT: number;
}

const loadJson = (): Template => JSON.parse(readFileSync(MACRO_TEMPLATE, "utf8")) as Template;
const loadSam = (): Template => parse(readFileSync(SAM_TEMPLATE, "utf8")) as Template;
const loadScript = async (): Promise<MacroTemplateModule> =>
  (await import(pathToFileURL(resolve("scripts/macro-template.mjs")).href)) as MacroTemplateModule;

function onlyOfType(template: Template, type: string): Resource {
  const found = Object.values(template.Resources).filter((resource) => resource.Type === type);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0] as Resource;
}

describe("dist/macro.template.json", () => {
  it("fits CloudFormation's 51,200-byte limit for templates sent without S3", () => {
    // Arrange / Act
    const bytes = readFileSync(MACRO_TEMPLATE).length;

    // Assert
    expect(bytes).toBeLessThanOrEqual(51_200);
  });

  it("inlines dist/handler.js byte for byte, run by index.handler", () => {
    // Arrange
    const lambda = onlyOfType(loadJson(), "AWS::Lambda::Function");

    // Act
    const inline = Buffer.from((lambda.Properties.Code as { ZipFile: string }).ZipFile, "utf8");

    // Assert
    expect(inline.equals(readFileSync(HANDLER))).toBe(true);
    expect(lambda.Properties.Handler).toBe("index.handler");
  });

  it("agrees with template.yaml on runtime, architecture, memory, timeout, role policy and macro name", () => {
    // Arrange
    const json = loadJson();
    const sam = loadSam();

    // Act
    const lambda = onlyOfType(json, "AWS::Lambda::Function").Properties;
    const samFunction = onlyOfType(sam, "AWS::Serverless::Function").Properties;

    // Assert
    expect(json.Transform).toBeUndefined();
    for (const key of ["Runtime", "Architectures", "MemorySize", "Timeout", "Role", "LoggingConfig"])
      expect(lambda[key], key).toEqual(samFunction[key]);
    expect(lambda.Runtime).toBe("nodejs24.x");
    expect(lambda.Architectures).toEqual(["arm64"]);
    expect(lambda.LoggingConfig).toMatchObject({ LogFormat: "JSON" });
    expect(onlyOfType(json, "AWS::IAM::Role")).toEqual(onlyOfType(sam, "AWS::IAM::Role"));
    expect(onlyOfType(json, "AWS::CloudFormation::Macro")).toEqual(
      onlyOfType(sam, "AWS::CloudFormation::Macro"),
    );
    expect(onlyOfType(json, "AWS::Logs::LogGroup")).toEqual(onlyOfType(sam, "AWS::Logs::LogGroup"));
    expect(json.Parameters).toEqual(sam.Parameters);
    expect(json.Parameters.MacroName?.Default).toBe("CorsKeyPushdown");
  });

  it("lets the function write only its own log group's streams", () => {
    // Arrange
    const role = onlyOfType(loadJson(), "AWS::IAM::Role").Properties;

    // Act
    const statements = (role.Policies as { PolicyDocument: { Statement: unknown[] } }[]).flatMap(
      (policy) => policy.PolicyDocument.Statement,
    );

    // Assert
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(statements).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: { "Fn::GetAtt": ["MacroLogGroup", "Arn"] },
      },
    ]);
  });
});

describe("the permissions boundary", () => {
  it("is an optional parameter, applied to the role only when given", () => {
    // Arrange
    const json = loadJson();

    // Act
    const role = onlyOfType(json, "AWS::IAM::Role").Properties;

    // Assert
    expect(json.Parameters.PermissionsBoundary).toMatchObject({ Type: "String", Default: "" });
    expect(json.Conditions).toEqual({
      HasPermissionsBoundary: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "PermissionsBoundary" }, ""] }] },
    });
    expect(role.PermissionsBoundary).toEqual({
      "Fn::If": ["HasPermissionsBoundary", { Ref: "PermissionsBoundary" }, { Ref: "AWS::NoValue" }],
    });
  });

  it.each([
    ["", true],
    ["arn:aws:iam::123456789012:policy/org/boundary-v2", true],
    ["arn:aws-us-gov:iam::123456789012:policy/boundary", true],
    ["arn:aws:iam::123:policy/short-account", false],
    ["arn:aws:iam::123456789012:role/not-a-policy", false],
  ])("accepts %j: %s", (value, accepted) => {
    // Arrange
    const pattern = new RegExp(String(loadSam().Parameters.PermissionsBoundary?.AllowedPattern));

    // Act
    const matches = pattern.test(value);

    // Assert
    expect(matches).toBe(accepted);
  });
});

describe("the Serverless Application Repository metadata", () => {
  const application = () => loadSam().Metadata?.["AWS::ServerlessRepo::Application"] ?? {};

  it("publishes the version package.json gives", () => {
    // Arrange
    const pkg = JSON.parse(readFileSync(resolve("package.json"), "utf8")) as {
      version: string;
      license: string;
    };

    // Act
    const metadata = application();

    // Assert
    expect(metadata.SemanticVersion).toBe(pkg.version);
    expect(metadata.SpdxLicenseId).toBe(pkg.license);
  });

  it("names files that exist for the licence and the readme, and what SAR requires", () => {
    // Arrange / Act
    const metadata = application();

    // Assert
    expect(existsSync(resolve(String(metadata.LicenseUrl)))).toBe(true);
    expect(existsSync(resolve(String(metadata.ReadmeUrl)))).toBe(true);
    // SAR's own rules: lower-case author, at most 10 labels of allowed characters, a 256-character description.
    expect(metadata.Name).toMatch(/^[a-zA-Z0-9-]{1,140}$/);
    expect(metadata.Author).toMatch(/^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$/);
    expect(String(metadata.Description).length).toBeLessThanOrEqual(256);
    expect((metadata.Labels as string[]).length).toBeLessThanOrEqual(10);
    for (const label of metadata.Labels as string[]) expect(label).toMatch(/^[a-zA-Z0-9+\-_:/@]{1,127}$/);
    expect(metadata.SourceCodeUrl).toMatch(/^https:\/\//);
  });

  it("is carried into macro.template.json, whose description marks it as the macro's stack", () => {
    // Arrange / Act
    const json = loadJson();

    // Assert
    expect(json.Metadata).toEqual(loadSam().Metadata);
    expect(json.Description).toMatch(/^CorsKeyPushdown macro /);
  });
});

describe("the inline code, loaded the way Lambda loads it", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("answers a macro event exactly as dist/handler.js does", async () => {
    // Arrange: Lambda writes ZipFile code to index.js and calls index.handler
    const dir = mkdtempSync(join(tmpdir(), "ckp-lambda-"));
    const code = (onlyOfType(loadJson(), "AWS::Lambda::Function").Properties.Code as { ZipFile: string })
      .ZipFile;
    writeFileSync(join(dir, "index.js"), code);
    const load = createRequire(join(dir, "package.json"));
    type Handler = (event: unknown) => Promise<unknown>;
    const inline = load(join(dir, "index.js")) as { handler: Handler };
    const bundled = load(HANDLER) as { handler: Handler };
    const event = {
      region: "us-east-1",
      accountId: "123456789012",
      transformId: "123456789012::CorsKeyPushdown",
      requestId: "request-1",
      params: {},
      templateParameterValues: {},
      fragment: {
        Transform: ["CorsKeyPushdown", "AWS::Serverless-2016-10-31"],
        Resources: {
          Api: {
            Type: "AWS::Serverless::Api",
            Properties: { StageName: "prod", Cors: "'*'", Auth: { ApiKeyRequired: true } },
          },
          Fn: {
            Type: "AWS::Serverless::Function",
            Properties: {
              Runtime: "nodejs22.x",
              Handler: "index.handler",
              InlineCode: "exports.handler = async () => ({})",
              Events: {
                Get: {
                  Type: "Api",
                  Properties: { RestApiId: { Ref: "Api" }, Path: "/items", Method: "get" },
                },
              },
            },
          },
        },
      },
    };
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);

    // Act
    const fromInline = await inline.handler(structuredClone(event));
    const fromBundle = await bundled.handler(structuredClone(event));

    // Assert
    expect(fromInline).toEqual(fromBundle);
    expect(fromInline).toMatchObject({ requestId: "request-1", status: "success" });
  });
});

describe("scripts/macro-template.mjs", () => {
  it("refuses to write a template over the size limit, and says how big it would be", async () => {
    // Arrange
    const { writeMacroTemplate } = await loadScript();
    const outPath = join(mkdtempSync(join(tmpdir(), "ckp-size-")), "macro.template.json");

    // Act
    const attempt = writeMacroTemplate({ outPath, limit: 1_000 });

    // Assert
    await expect(attempt).rejects.toThrow(
      /would be \d+ bytes; CloudFormation accepts at most 1000 bytes without an S3 bucket/,
    );
    expect(existsSync(outPath)).toBe(false);
  });

  it("refuses SAM function properties that plain CloudFormation would not understand", async () => {
    // Arrange
    const { toMacroTemplate } = await loadScript();
    const sam = readFileSync(SAM_TEMPLATE, "utf8").replace(
      "      MemorySize: 256\n",
      "      MemorySize: 256\n      Events:\n        Daily:\n          Type: Schedule\n          Properties:\n            Schedule: rate(1 day)\n",
    );

    // Act
    const convert = () => toMacroTemplate(sam, "exports.handler = async () => ({});");

    // Assert
    expect(sam).toContain("Schedule: rate(1 day)");
    expect(convert).toThrow(/MacroFunction\.Properties\.Events has no plain CloudFormation equivalent/);
  });
});

const cfnLint = requireTool("cfn-lint", "pip install cfn-lint");

describe.skipIf(!cfnLint.available)(`cfn-lint${cfnLint.note}`, () => {
  it("finds no error in template.yaml or dist/macro.template.json", () => {
    // Arrange: one run for both files, as cfn-lint's start-up is most of its time
    const files = ["template.yaml", "dist/macro.template.json"];

    // Act
    const result = spawnSync("cfn-lint", files, { encoding: "utf8", timeout: 120_000 });

    // Assert: cfn-lint's exit status is a bit mask, 2 meaning errors (4 warnings, 8 informational)
    expect(result.error).toBeUndefined();
    expect(result.status).not.toBeNull();
    expect((result.status ?? 2) & 2, `${result.stdout}${result.stderr}`).toBe(0);
  });
});
