import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parseCfnYaml, parseTemplateText } from "../../src/cfn-yaml";
import type { MacroEvent, MacroResponse } from "../../src/macro/event";
import { FIXED_BY_HAND, fixtureFile, KEYED_API, YAML11_ROUTES } from "./fixtures";
import { run } from "./helpers";

const ROOT = join(__dirname, "..", "..");
const CORPUS = join(ROOT, "test", "conformance", "templates");
const EXAMPLES = join(ROOT, "examples");

/** Every `*.yaml` under `dir` (recursively when asked); none when the folder is not there (yet). */
function yamlFiles(dir: string, recursive: boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return recursive ? yamlFiles(path, true) : [];
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

const templates = [
  ...yamlFiles(CORPUS, false),
  ...yamlFiles(EXAMPLES, true).filter((path) => !path.includes(`${join("", ".aws-sam")}`)),
  fixtureFile(KEYED_API, "keyed-api.yaml"),
  fixtureFile(YAML11_ROUTES, "yaml11-routes.yaml"),
  fixtureFile(FIXED_BY_HAND, "fixed-by-hand.yaml"),
  fixtureFile(JSON.stringify(parseCfnYaml(KEYED_API).value, null, 2), "keyed-api.json"),
];

/** The built Lambda bundle, as deployed: the agreement is checked against it, not the TS source. */
function builtHandler(): (event: MacroEvent) => Promise<MacroResponse> {
  const require = createRequire(__filename);
  return (
    require(join(ROOT, "dist", "handler.js")) as { handler: (event: MacroEvent) => Promise<MacroResponse> }
  ).handler;
}

async function invokeHandler(fragment: unknown): Promise<MacroResponse> {
  // The handler logs one JSON line per call; keep the test output readable.
  const quiet = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    return await builtHandler()({ requestId: "cli-agreement", fragment } as MacroEvent);
  } finally {
    quiet.mockRestore();
  }
}

function withoutTransform(template: unknown): unknown {
  if (typeof template !== "object" || template === null || Array.isArray(template)) return template;
  const { Transform: _dropped, ...rest } = template as Record<string, unknown>;
  return rest;
}

describe("the CLI and the Lambda handler agree", () => {
  it("finds templates to compare", () => {
    expect(templates.length).toBeGreaterThan(0);
  });

  it.each(templates.map((path) => [relative(ROOT, path), path]))("on %s", async (_name, path) => {
    // Arrange
    const text = readFileSync(path, "utf8");
    const fragment = parseTemplateText(text).value;

    // Act
    const response = await invokeHandler(fragment);
    const cli = await run([path]);

    // Assert
    if (response.status === "failure") {
      expect(cli.code).toBe(2);
      return;
    }
    expect(cli.code).toBe(0);
    const output = parseCfnYaml(cli.stdout).value;
    expect(withoutTransform(output)).toEqual(withoutTransform(response.fragment));
    const transform = (output as Record<string, unknown>).Transform;
    expect([transform].flat()).not.toContain("CorsKeyPushdown");
  });
});
