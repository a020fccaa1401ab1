import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(__dirname, "..", "src");

/** Every TypeScript file under src/, as a path relative to src/. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

/** The src/ files a file imports (static, re-exported and dynamic), by relative specifier. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map(
    (match) => match[1] as string,
  );
  return specifiers
    .map((specifier) => relative(SRC, resolve(SRC, dirname(file), specifier)).replace(/\.js$/, ""))
    .filter((target) => !target.startsWith(".."))
    .map((target) => (sourceFiles().includes(`${target}.ts`) ? `${target}.ts` : `${target}/index.ts`));
}

const files = sourceFiles();
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const roleOf = (file: string) => file.split("/")[0] as string;

/** Which roles each role may import from: the core imports nothing outside itself. */
const ALLOWED: Record<string, readonly string[]> = {
  pushdown: ["pushdown"],
  "cfn-yaml": ["cfn-yaml", "pushdown"],
  processed: ["processed", "pushdown"],
  macro: ["macro", "pushdown"],
  aws: ["aws", "cfn-yaml", "processed", "pushdown"],
  cli: ["cli", "aws", "cfn-yaml", "processed", "pushdown"],
};

describe("the layout of src/", () => {
  it("holds only the role folders", () => {
    expect(readdirSync(SRC).sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it("has no import from the core out to an edge, nor between edges that should not know each other", () => {
    // Act
    const wrong = files.flatMap((file) =>
      (graph.get(file) ?? [])
        .filter((target) => !(ALLOWED[roleOf(file)] ?? []).includes(roleOf(target)))
        .map((target) => `${file} -> ${target}`),
    );

    // Assert
    expect(wrong).toEqual([]);
  });

  it("resolves every relative import to a file of src/", () => {
    const missing = files.flatMap((file) => (graph.get(file) ?? []).filter((target) => !graph.has(target)));
    expect(missing).toEqual([]);
  });

  it("has no import cycle", () => {
    // Arrange
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
        return;
      }
      state.set(file, "open");
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, "done");
    };

    // Act
    for (const file of files) visit(file, []);

    // Assert
    expect(cycles).toEqual([]);
  });

  it("keeps the core's public face to re-exports only", () => {
    const index = readFileSync(join(SRC, "pushdown", "index.ts"), "utf8");
    const statements = index
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .split(";")
      .map((statement) => statement.trim())
      .filter(Boolean);
    expect(statements.every((statement) => statement.startsWith("export"))).toBe(true);
  });
});
