import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_ALIAS_COUNT, parseCfnYaml, TemplateSyntaxError } from "../../src/cfn-yaml/read";
import type { Json } from "../../src/pushdown";

const HOSTILE = join(__dirname, "hostile");
const CORPUS = join(__dirname, "..", "conformance", "templates");
const files = [
  ...readdirSync(HOSTILE).map((name) => join(HOSTILE, name)),
  ...readdirSync(CORPUS).map((name) => join(CORPUS, name)),
].filter((file) => file.endsWith(".yaml"));

/** The value of `key: <text>` as the CLI reads it. */
const scalar = (text: string): Json => (parseCfnYaml(`key: ${text}\n`).value as { key: Json }).key;

describe("parseCfnYaml: plain scalars as the SAM CLI reads them (YAML 1.1)", () => {
  it.each([
    ["no", false],
    ["off", false],
    ["On", true],
    ["yes", true],
    ["y", "y"],
    ["n", "n"],
    ["0o0", "0o0"],
    ["017", 15],
    ["08", "08"],
    ["1e3", "1e3"],
    ["1.5e+3", 1500],
    ["1:20", 80],
    ["0x1F", 31],
    ["0b101", 5],
    ["~", null],
    ["nUll", "nUll"],
    ["2010-09-09", "2010-09-09"],
  ] as const)("reads %s as %j", (text, expected) => {
    expect(scalar(text)).toEqual(expected);
  });

  it("merges keys from an anchored map, explicit keys winning", () => {
    // Arrange
    const text = "base: &b {RestApiId: A, Method: get}\nroute:\n  Method: post\n  <<: *b\n";

    // Act
    const { value } = parseCfnYaml(text);

    // Assert
    expect((value as { route: Json }).route).toEqual({ Method: "post", RestApiId: "A" });
  });
});

describe("parseCfnYaml: refuses what another reader could read differently", () => {
  it.each([
    ["a duplicate key", "a: 1\na: 2\n", 2],
    ["a float key", "1.5: x\n", 1],
    ["a boolean key", "yes: x\n", 1],
    ["a null key", "~: x\n", 1],
    ["a list as a key", "? [a]\n: x\n", 1],
    ["a plain = value", "a: =\n", 1],
    ["a plain << value", "a: <<\n", 1],
    ["a YAML 1.2 directive", "%YAML 1.2\n---\na: 1\n", 1],
    ["an unknown tag", "a: !Nope x\n", 1],
    ["a binary tag", "a: !!binary aGk=\n", 1],
    ["a NUL character, which PyYAML refuses", 'a: 1\nb: "x\u0000"\n', 2],
    ["a DEL character, which PyYAML refuses", "a: x\u007f\n", 1],
    ["a C1 control character, which PyYAML refuses", "a: x\u0080\n", 1],
    ["a NEL, a line break to YAML 1.1 only", 'a: "x\u0085y"\n', 1],
    ["a line separator, a line break to YAML 1.1 only", "a: x\u2028y\n", 1],
    ["a second document", "a: 1\n---\nb: 2\n", 2],
  ])("%s", (_name, text, line) => {
    // Act
    const read = () => parseCfnYaml(text);

    // Assert
    expect(read).toThrow(TemplateSyntaxError);
    expect(() => read()).toThrow(expect.objectContaining({ line }));
  });

  it("answers an alias bomb within a second", () => {
    // Arrange: nine levels of ten aliases each would expand to 10^9 strings.
    const levels = ['a0: &a0 "lol"'];
    for (let level = 1; level <= 9; level += 1) {
      const previous = `*a${level - 1}`;
      levels.push(`a${level}: &a${level} [${Array(10).fill(previous).join(", ")}]`);
    }
    const started = Date.now();

    // Act
    const read = () => parseCfnYaml(`${levels.join("\n")}\n`);

    // Assert
    expect(read).toThrow(/too many aliases/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it(`reads a template with 2,000 plain aliases (under ${MAX_ALIAS_COUNT} expanded nodes)`, () => {
    // Arrange
    const text = `origin: &o "'*'"\nitems:\n${Array.from({ length: 2000 }, (_, i) => `  k${i}: *o`).join("\n")}\n`;

    // Act
    const { value } = parseCfnYaml(text);

    // Assert
    expect(Object.keys((value as { items: Record<string, Json> }).items)).toHaveLength(2000);
  });
});

/** cfn-lint's loader (PyYAML's SafeLoader with CloudFormation tags), one JSON line per file. */
function readWithPyYaml(
  paths: readonly string[],
): Map<string, { ok: boolean; value?: Json; error?: string }> {
  const run = spawnSync("python3", [join(__dirname, "..", "support", "pyyaml_read.py"), ...paths], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`pyyaml_read.py failed: ${run.stderr}`);
  const results = new Map<string, { ok: boolean; value?: Json; error?: string }>();
  for (const line of run.stdout.split("\n").filter(Boolean)) {
    const { file, ...result } = JSON.parse(line) as { file: string; ok: boolean; value?: Json };
    results.set(file, result);
  }
  return results;
}

/** JSON cannot carry infinities or NaN; both sides name them the same way. */
function portable(value: Json): Json {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(portable);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, portable(inner)]));
  return value;
}

const cfnLint = spawnSync("python3", ["-c", "import cfnlint.decode"]).status === 0;
if (!cfnLint && process.env.CI === "true")
  throw new Error("CI=true: cfn-lint is not installed (pip install cfn-lint)");

describe.skipIf(!cfnLint)("parseCfnYaml agrees with PyYAML (cfn-lint's loader) on every file", () => {
  const pyyaml = cfnLint ? readWithPyYaml(files) : new Map();

  it.each(files.map((file) => [file.slice(file.indexOf("test/")), file]))("%s", (_name, file) => {
    // Arrange
    const expected = pyyaml.get(file);

    // Act
    const value = parseCfnYaml(readFileSync(file, "utf8")).value;

    // Assert
    expect(expected?.ok, expected?.error).toBe(true);
    expect(portable(value)).toEqual(expected?.value);
  });
});
