import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCfnYaml } from "../../src/cfn-yaml";
import { FIXED_BY_HAND, fixtureFile, KEYED_API, YAML11_ROUTES } from "./fixtures";
import { run, tempDir } from "./helpers";

const ROOT = join(__dirname, "..", "..");

function templates(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === ".aws-sam" ? [] : templates(path);
    return name === "template.yaml" ? [path] : [];
  });
}

const cfnLint = spawnSync("cfn-lint", ["--version"], { encoding: "utf8" });
const hasCfnLint = cfnLint.status === 0;
const inCi = process.env.CI === "true";
if (!hasCfnLint && !inCi)
  console.warn("cfn-lint not found, skipping the lint of CLI output (pip install cfn-lint)");

const cases = [
  ...templates(join(ROOT, "examples")),
  fixtureFile(KEYED_API, "keyed-api.yaml"),
  // Merge keys and YAML 1.1 words, as the SAM CLI reads them, and a JSON template edited in place.
  fixtureFile(YAML11_ROUTES, "yaml11-routes.yaml"),
  fixtureFile(`${JSON.stringify(parseCfnYaml(FIXED_BY_HAND).value, null, 2)}\n`, "fixed-by-hand.json"),
];

describe("cfn-lint on the CLI output", () => {
  it.runIf(!hasCfnLint && inCi)("needs cfn-lint under CI=true (pip install cfn-lint)", () => {
    expect.fail("cfn-lint is not installed: pip install cfn-lint");
  });

  it.skipIf(!hasCfnLint).each(cases.map((path) => [relative(ROOT, path), path]))(
    "finds no errors in the rewrite of %s",
    async (_name, path) => {
      // Arrange
      const out = join(tempDir(), path.endsWith(".json") ? "template.json" : "template.yaml");
      const rewritten = await run([path]);
      writeFileSync(out, rewritten.stdout);

      // Act: cfn-lint runs the real SAM translator on the output itself
      const lint = spawnSync("cfn-lint", ["--", out], { encoding: "utf8" });

      // Assert: exit bits 1 (fatal) and 2 (errors); 4 and 8 are warnings and notes
      expect(rewritten.code).toBe(0);
      expect(lint.status === null ? 1 : lint.status & 3, lint.stdout + lint.stderr).toBe(0);
    },
  );
});
