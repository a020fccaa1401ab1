import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureFile, KEYED_API, KEYED_API_SAM_ONLY } from "./fixtures";
import { tempDir } from "./helpers";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli.js");
const KEYED = fixtureFile(KEYED_API, "keyed-api.yaml");

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    input,
    env: { ...process.env, NO_COLOR: "1" },
  });
}

describe("dist/cli.js as a process", () => {
  it("is a node script that package.json names as the cors-key-pushdown bin", () => {
    // Arrange
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };

    // Act
    const firstLine = readFileSync(CLI, "utf8").split("\n")[0];

    // Assert
    expect(pkg.bin["cors-key-pushdown"]).toBe("dist/cli.js");
    expect(firstLine).toBe("#!/usr/bin/env node");
  });

  it("rewrites standard input given as - and exits 0", () => {
    // Act
    const result = cli(["-"], readFileSync(KEYED, "utf8"));

    // Assert
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Transform: AWS::Serverless-2016-10-31\n");
    expect(result.stdout).toContain("        ApiKeyRequired: false");
  });

  it("writes -o FILE and the report to stderr", () => {
    // Arrange
    const out = join(tempDir(), "out.yaml");

    // Act
    const result = cli([KEYED, "-o", out, "--report"]);

    // Assert
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("API ItemsApi: pushdown");
    expect(readFileSync(out, "utf8")).toContain("ApiKeyRequired: false");
  });

  it("exits 1 from --check on a keyed template with CORS", () => {
    // Act
    const result = cli(["--check", fixtureFile(KEYED_API_SAM_ONLY, "sam-only.yaml")]);

    // Assert
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /sam-only\.yaml:25:9: error: API ItemsApi: .* \[preflight-requires-api-key\]\n/,
    );
  });

  it("passes bytes through standard input and output unchanged when there is nothing to change", () => {
    // Arrange
    const input =
      "\uFEFF# caf\u00e9 \u20ac\r\nResources:\r\n  T: {Type: 'AWS::SNS::Topic'}   # \u{1F600}\r\n";

    // Act
    const result = cli(["-", "-o", "-"], input);

    // Assert
    expect(result.status).toBe(0);
    expect(Buffer.from(result.stdout)).toEqual(Buffer.from(input));
  });

  it("exits 2 with one line and no stack trace on broken input", () => {
    // Act
    const result = cli(["-"], "Resources:\n  A: !Nope x\n");

    // Assert
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("<stdin>:2: unknown tag !Nope\n");
  });

  it("prints the package version", () => {
    // Arrange
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

    // Act
    const result = cli(["--version"]);

    // Assert
    expect(result.stdout).toBe(`${pkg.version}\n`);
  });
});
