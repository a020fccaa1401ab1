// The package as users get it: packed from a checkout (which runs prepack, so the build), installed from the
// tarball into an empty project, and run from there.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(".");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
};
// What a fresh clone holds that the build needs; dist/ is deliberately not copied.
const CHECKOUT = [
  "package.json",
  "package-lock.json",
  "LICENSE",
  "README.md",
  "template.yaml",
  "tsconfig.json",
  "src",
  "scripts",
];

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
      Auth:
        ApiKeyRequired: true   # the key every route needs
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs24.x
      Handler: index.handler
      InlineCode: exports.handler = async () => ({})
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: get
`;

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    // The AWS SDK's warning about Node 20 is not what these tests look at.
    env: { ...process.env, NODE_NO_WARNINGS: "1", npm_config_update_notifier: "false" },
  });
  if (result.error) throw result.error;
  return result;
}

describe("the npm package", () => {
  let work: string;
  let files: string[];
  let bin: string;
  let app: string;

  beforeAll(() => {
    // Arrange (shared): a checkout without dist/, using this project's node_modules for the build tools
    work = mkdtempSync(join(tmpdir(), "ckp-pack-"));
    const checkout = join(work, "checkout");
    mkdirSync(checkout);
    for (const entry of CHECKOUT) cpSync(join(ROOT, entry), join(checkout, entry), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"), "dir");
    const packed = run("npm", ["pack", "--json", "--pack-destination", work], checkout);
    expect(packed.status, packed.stderr).toBe(0);
    const [report] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = (report?.files ?? []).map((file) => file.path).sort();
    app = join(work, "app");
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "app", version: "1.0.0", private: true }),
    );
    const installed = run(
      "npm",
      ["install", "--save-dev", "--offline", "--no-audit", "--no-fund", join(work, report?.filename ?? "")],
      app,
    );
    expect(installed.status, installed.stderr).toBe(0);
    bin = join(app, "node_modules", ".bin", "cors-key-pushdown");
  });

  it("holds the built CLI, bundle and template, the readme and the licence, and nothing else", () => {
    // Arrange: the packed file list

    // Act / Assert
    expect(files).toEqual([
      "LICENSE",
      "README.md",
      "dist/cli.js",
      "dist/handler.js",
      "dist/macro.template.json",
      "package.json",
    ]);
  });

  it("runs the installed command: --version", () => {
    // Arrange: the bin npm linked

    // Act
    const result = run(bin, ["--version"], app);

    // Assert
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${PACKAGE.version}\n`);
  });

  it("rewrites a template in the installed project exactly as the checkout's build does", () => {
    // Arrange
    writeFileSync(join(app, "template.yaml"), TEMPLATE);

    // Act
    const installed = run(bin, ["template.yaml"], app);
    const checkout = run(process.execPath, [join(ROOT, "dist", "cli.js"), join(app, "template.yaml")], ROOT);

    // Assert
    expect(installed.stderr).toBe("");
    expect(installed.status).toBe(0);
    expect(installed.stdout).toContain("Transform: AWS::Serverless-2016-10-31\n");
    expect(installed.stdout).toContain("ApiKeyRequired: false");
    expect(installed.stdout).toBe(checkout.stdout);
  });

  it("ships the template deploy uses next to the command", () => {
    // Arrange
    const installedDir = join(app, "node_modules", PACKAGE.name, "dist");

    // Act
    const template = JSON.parse(readFileSync(join(installedDir, "macro.template.json"), "utf8")) as {
      Description: string;
    };

    // Assert
    expect(existsSync(join(installedDir, "cli.js"))).toBe(true);
    expect(template.Description).toMatch(/^CorsKeyPushdown macro /);
  });
});
