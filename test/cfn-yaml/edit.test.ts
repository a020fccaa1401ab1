import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Document, YAMLSeq } from "yaml";
import {
  applyTextEdits,
  editTemplateText,
  parseCfnYaml,
  readTemplateSource,
  TemplateEditError,
  type TextEdit,
} from "../../src/cfn-yaml";
import { WRITE_OPTIONS } from "../../src/cfn-yaml/tags";
import type { Json, JsonMap } from "../../src/pushdown";
import { lineDiff, lineDiffIndexes, tempDir } from "../cli/helpers";

/** The text after the edits, which the layer has checked reads back as the edited template. */
function edit(text: string, edits: readonly TextEdit[]): string {
  return editTemplateText(readTemplateSource(text), edits).text;
}

const set = (path: string[], value: Json): TextEdit => ({ kind: "set", path, value });
const del = (path: string[]): TextEdit => ({ kind: "delete", path });

const lines = (...text: string[]) => `${text.join("\n")}\n`;

describe("editTemplateText: only the edited places change", () => {
  it("replaces a scalar and keeps the comment after it", () => {
    // Arrange
    const text = lines("Api:", "  Auth:", "    ApiKeyRequired: true   # why", "  Other: 1");

    // Act
    const output = edit(text, [set(["Api", "Auth", "ApiKeyRequired"], false)]);

    // Assert
    expect(output).toBe(lines("Api:", "  Auth:", "    ApiKeyRequired: false   # why", "  Other: 1"));
  });

  it("adds a key at the end of a block map, a new map in block style below it", () => {
    // Arrange
    const text = lines("Route:", "  Path: /x   # the path", "  Method: get", "Next: 1");

    // Act
    const output = edit(text, [set(["Route", "Auth", "ApiKeyRequired"], true)]);

    // Assert
    expect(lineDiff(text, output)).toEqual({ removed: [], added: ["  Auth:", "    ApiKeyRequired: true"] });
  });

  it("adds a key to a flow map in flow style, and fills an empty {}", () => {
    // Arrange
    const text = lines("A: {Path: /x, Method: get}", "B: {}", "C: { x: 1 }");

    // Act
    const output = edit(text, [
      set(["A", "Auth"], { ApiKeyRequired: true }),
      set(["B", "Auth"], { ApiKeyRequired: true }),
      set(["C", "y"], 2),
    ]);

    // Assert
    expect(output).toBe(
      lines(
        "A: {Path: /x, Method: get, Auth: {ApiKeyRequired: true}}",
        "B: {Auth: {ApiKeyRequired: true}}",
        "C: { x: 1, y: 2 }",
      ),
    );
  });

  it("writes intrinsics as short forms and quotes strings another reader could mistake", () => {
    // Arrange
    const text = lines("A:", "  x: 1");

    // Act
    const output = edit(text, [
      set(["A", "Ref"], { Ref: "Stage" }),
      set(["A", "If"], { "Fn::If": ["IsProd", true, false] }),
      set(["A", "Word"], "no"),
      set(["A", "Octal"], "0o0"),
    ]);

    // Assert
    expect(output).toBe(
      lines(
        "A:",
        "  x: 1",
        "  Ref: !Ref Stage",
        "  If: !If [IsProd, true, false]",
        '  Word: "no"',
        '  Octal: "0o0"',
      ),
    );
  });

  it("removes a key with its line, and in a flow map with its comma", () => {
    // Arrange
    const text = lines(
      "A:",
      "  Keep: 1",
      "  Drop: 2  # gone too",
      "  Also: 3",
      "B: {Drop: 1, Keep: 2}",
      "C: {Keep: 1, Drop: 2}",
    );

    // Act
    const output = edit(text, [del(["A", "Drop"]), del(["B", "Drop"]), del(["C", "Drop"])]);

    // Assert
    expect(output).toBe(lines("A:", "  Keep: 1", "  Also: 3", "B: {Keep: 2}", "C: {Keep: 1}"));
  });

  it("writes {} for a map whose every key is removed", () => {
    // Arrange
    const text = lines("A:", "  Auth:", "    ApiKeyRequired: false", "  Path: /x");

    // Act
    const output = edit(text, [del(["A", "Auth", "ApiKeyRequired"])]);

    // Assert
    expect(output).toBe(lines("A:", "  Auth: {}", "  Path: /x"));
  });

  it("removes list items in block and flow lists, and keeps a scalar's spelling from elsewhere", () => {
    // Arrange
    const text = lines("T:", "  - Macro", "  - Other", "F: [Macro, Other, Macro]", "S: [Macro, 'Kept']");
    const edits: TextEdit[] = [
      { kind: "delete-item", path: ["T"], index: 0 },
      { kind: "delete-item", path: ["F"], index: 2 },
      { kind: "delete-item", path: ["F"], index: 0 },
      { kind: "set", path: ["S"], value: "Kept", source: ["S", 1] },
    ];

    // Act
    const output = edit(text, edits);

    // Assert
    expect(output).toBe(lines("T:", "  - Other", "F: [Other]", "S: 'Kept'"));
  });

  it("follows CRLF line ends and four-space indentation", () => {
    // Arrange
    const text = "A:\r\n    Path: /x\r\n";

    // Act
    const output = edit(text, [set(["A", "Auth", "ApiKeyRequired"], true)]);

    // Assert
    expect(output).toBe("A:\r\n    Path: /x\r\n    Auth:\r\n        ApiKeyRequired: true\r\n");
  });

  it("fills empty values, each in its own place", () => {
    // Arrange
    const text = lines("A:", "  One:", "  Two: ~   # nothing yet", "  Three: x");

    // Act
    const output = edit(text, [set(["A", "One", "Key"], true), set(["A", "Two", "Key"], false)]);

    // Assert
    expect(output).toBe(
      lines("A:", "  One:", "    Key: true", "  Two:   # nothing yet", "    Key: false", "  Three: x"),
    );
  });

  it("adds keys under explicit keys (? key) at the map's column, and keeps a file's missing final line break", () => {
    // Arrange
    const text = "A:\n  ? Path\n  : /x\n  Method: get";

    // Act
    const output = edit(text, [set(["A", "Auth"], { ApiKeyRequired: true })]);

    // Assert
    expect(output).toBe("A:\n  ? Path\n  : /x\n  Method: get\n  Auth:\n    ApiKeyRequired: true");
  });

  it("keeps a keep-chomped block scalar's trailing blank lines when a key follows it", () => {
    // Arrange
    const text = lines("A:", "  Code: |+", "    x", "", "B: 1");

    // Act
    const output = edit(text, [set(["A", "Auth"], true)]);

    // Assert
    expect(parseCfnYaml(output).value).toEqual({ A: { Code: "x\n\n", Auth: true }, B: 1 });
  });

  it("returns the text itself when there is nothing to edit, byte order mark included", () => {
    // Arrange
    const text = "\uFEFFA:   1 # odd spacing\n";

    // Act
    const output = edit(text, []);

    // Assert
    expect(output).toBe(text);
  });
});

describe("editTemplateText: anchors, aliases and merge keys keep their meaning", () => {
  it("writes a copy in place of an alias on an edit's path, keeping the alias line's comment", () => {
    // Arrange
    const text = lines("base: &b", "  Path: /x", "route:", "  Properties: *b   # shared", "other: *b");

    // Act
    const output = edit(text, [set(["route", "Properties", "Auth"], { ApiKeyRequired: true })]);

    // Assert
    expect(output).toBe(
      lines(
        "base: &b",
        "  Path: /x",
        "route:",
        "  Properties:   # shared",
        "    Path: /x",
        "    Auth:",
        "      ApiKeyRequired: true",
        "other: *b",
      ),
    );
  });

  it("edits an anchored map in place and turns its aliases into copies of the old value", () => {
    // Arrange
    const text = lines(
      "Globals:",
      "  Auth: &auth",
      "    ApiKeyRequired: true",
      "Other:",
      "  Auth: *auth  # same",
    );

    // Act
    const output = edit(text, [set(["Globals", "Auth", "ApiKeyRequired"], false)]);

    // Assert
    expect(parseCfnYaml(output).value).toEqual({
      Globals: { Auth: { ApiKeyRequired: false } },
      Other: { Auth: { ApiKeyRequired: true } },
    });
    expect(output).toContain("  Auth:  # same\n    ApiKeyRequired: true\n");
  });

  it("adds a written key over a merged one, so PyYAML and the library read the same", () => {
    // Arrange
    const text = lines(
      "defaults: &d",
      "  Auth:",
      "    Authorizer: Cognito",
      "route:",
      "  <<: *d",
      "  Path: /x",
    );

    // Act
    const output = edit(text, [set(["route", "Auth", "ApiKeyRequired"], true)]);

    // Assert
    expect(lineDiff(text, output).removed).toEqual([]);
    expect(parseCfnYaml(output).value).toEqual({
      defaults: { Auth: { Authorizer: "Cognito" } },
      route: { Auth: { Authorizer: "Cognito", ApiKeyRequired: true }, Path: "/x" },
    });
  });

  it("writes a map afresh when a merged key must go, since a merge cannot be undone in place", () => {
    // Arrange
    const text = lines("defaults: &d", "  Auth: {ApiKeyRequired: false}", "route:", "  <<: *d", "  Path: /x");

    // Act
    const output = edit(text, [del(["route", "Auth"])]);

    // Assert
    expect(parseCfnYaml(output).value).toEqual({
      defaults: { Auth: { ApiKeyRequired: false } },
      route: { Path: "/x" },
    });
  });

  it("refuses, with the line, to remove a key merged into the template's top level", () => {
    // Arrange
    const text = lines("x: &x {Drop: 1}", "y: 2", "<<: *x");

    // Act
    const run = () => edit(text, [del(["Drop"])]);

    // Assert
    expect(run).toThrow(TemplateEditError);
  });
});

describe("editTemplateText: JSON keeps every byte it does not edit", () => {
  const pretty = [
    "{",
    '  "Metadata": {"big": 123456789012345678901, "huge": 1e400, "zero": -0, "text": "\\u00e9\\/"},',
    '  "Route": {',
    '    "Path": "/x"',
    "  },",
    '  "Flat": {"Path": "/y"}',
    "}",
    "",
  ].join("\n");

  it("adds keys in the style of their map: on lines of their own, or on the same line", () => {
    // Act
    const output = edit(pretty, [
      set(["Route", "Auth", "ApiKeyRequired"], true),
      set(["Flat", "Auth", "ApiKeyRequired"], true),
    ]);

    // Assert
    expect(lineDiff(pretty, output)).toEqual({
      removed: ['    "Path": "/x"', '  "Flat": {"Path": "/y"}'],
      added: [
        '    "Path": "/x",',
        '    "Auth": {',
        '      "ApiKeyRequired": true',
        "    }",
        '  "Flat": {"Path": "/y", "Auth": {"ApiKeyRequired": true}}',
      ],
    });
  });

  it("keeps big numbers, 1e400, -0 and escapes as written", () => {
    // Act
    const output = edit(pretty, [set(["Flat", "Path"], "/z")]);

    // Assert
    expect(output).toContain('"big": 123456789012345678901, "huge": 1e400, "zero": -0, "text": "\\u00e9\\/"');
  });

  it("writes compact JSON into compact JSON, and removes a first entry with its comma", () => {
    // Arrange
    const text = '{"Transform":"Macro","Resources":{"A":{"Auth":{}}}}';

    // Act
    const output = edit(text, [del(["Transform"]), set(["Resources", "A", "Auth", "ApiKeyRequired"], true)]);

    // Assert
    expect(output).toBe('{"Resources":{"A":{"Auth":{"ApiKeyRequired":true}}}}');
  });
});

/*
 * Property tests: random maps written in random styles (block or flow maps, comments, quoting), random
 * edits. Whatever the layout, the output reads as the edited template, and every line that no edit is
 * about stays as it was.
 */

const KEYS = ["Alpha", "Beta", "Auth", "Key", "Path"];
const STRINGS = ["x", "a b", "no", "0o0", "1e3", "'q'", "#h", "a: b", "- z", "*x", "!Ref", "", "é"];

const scalarArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.boolean(),
  fc.integer({ min: -5, max: 99 }),
  fc.constant(null),
);

const treeArb: fc.Arbitrary<JsonMap> = fc.letrec<{ map: JsonMap; value: Json }>((tie) => ({
  map: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), {
    minKeys: 1,
    maxKeys: 4,
  }) as fc.Arbitrary<JsonMap>,
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarArb,
    tie("map"),
    fc.array(scalarArb, { maxLength: 3 }),
  ),
})).map;

/** A YAML scalar as a flow-safe piece of text (it may stand inside `{ }`). */
function scalarText(value: Json): string {
  const seq = new YAMLSeq();
  seq.flow = true;
  const document = new Document(null, WRITE_OPTIONS);
  seq.items.push(document.createNode(value));
  document.contents = seq;
  return document.toString({ lineWidth: 0 }).trim().slice(1, -1).trim();
}

/** Writes a map as block YAML, some maps as flow maps, some lines with comments; each line with its path. */
function writeYaml(
  map: JsonMap,
  flowAt: (path: string[]) => boolean,
  step: string,
): { text: string; paths: string[][] } {
  const out: { line: string; path: string[] }[] = [];
  const flow = (value: Json): string => {
    if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
    if (value === null || typeof value !== "object") return scalarText(value);
    return `{${Object.entries(value)
      .map(([key, inner]) => `${key}: ${flow(inner)}`)
      .join(", ")}}`;
  };
  const block = (node: JsonMap, path: string[], indent: string) => {
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      const isMap = value !== null && typeof value === "object" && !Array.isArray(value);
      if (isMap && !flowAt(here)) {
        out.push({ line: `${indent}${key}:`, path: here });
        block(value, here, `${indent}${step}`);
      } else {
        const comment = here.length % 2 === 0 ? "  # note" : "";
        out.push({ line: `${indent}${key}: ${flow(value)}${comment}`, path: here });
      }
    }
  };
  block(map, [], "");
  return { text: `${out.map((entry) => entry.line).join("\n")}\n`, paths: out.map((entry) => entry.path) };
}

/** Paths into the tree: existing ones and one step beyond them (new keys). */
function editArb(tree: JsonMap): fc.Arbitrary<TextEdit> {
  const paths: string[][] = [];
  const walk = (node: Json, path: string[]) => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return;
    for (const key of KEYS) paths.push([...path, key]);
    for (const [key, inner] of Object.entries(node)) walk(inner, [...path, key]);
  };
  walk(tree, []);
  const value = fc.oneof(scalarArb, fc.constant({ ApiKeyRequired: true }), fc.constant({ Ref: "P" }));
  return fc.oneof(
    fc.record({ kind: fc.constant("set" as const), path: fc.constantFrom(...paths), value }),
    fc.record({ kind: fc.constant("delete" as const), path: fc.constantFrom(...paths) }),
  );
}

const related = (a: readonly string[], b: readonly string[]) =>
  a.slice(0, b.length).every((step, i) => step === b[i]) ||
  b.slice(0, a.length).every((step, i) => step === a[i]);

describe("editTemplateText: properties", () => {
  it("gives text that reads as the edited template, changing only lines the edits are about", () => {
    const caseArb = fc
      .record({
        tree: treeArb,
        flowSeed: fc.integer({ min: 0, max: 3 }),
        step: fc.constantFrom("  ", "    "),
      })
      .chain(({ tree, flowSeed, step }) =>
        fc.record({
          tree: fc.constant(tree),
          flowSeed: fc.constant(flowSeed),
          step: fc.constant(step),
          edits: fc.array(editArb(tree), { minLength: 1, maxLength: 4 }),
        }),
      );
    fc.assert(
      fc.property(caseArb, ({ tree, flowSeed, step, edits }) => {
        // Arrange
        const { text, paths } = writeYaml(tree, (path) => (path.length + flowSeed) % 3 === 0, step);
        const expected = applyTextEdits(tree, edits);
        fc.pre(expected !== null && typeof expected === "object" && Object.keys(expected).length > 0);

        // Act
        const output = edit(text, edits);

        // Assert
        expect(parseCfnYaml(output).value).toEqual(expected);
        const written = text.split("\n");
        for (const index of lineDiffIndexes(text, output).removed) {
          const path = paths[index];
          if (path === undefined) continue;
          expect(
            edits.some((one) => related(one.path, path)),
            `line ${JSON.stringify(written[index])} changed but no edit is about it`,
          ).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it("gives JSON that reads as the edited template, pretty or compact", () => {
    const caseArb = fc
      .record({ tree: treeArb, indent: fc.constantFrom(undefined, 2, "\t") })
      .chain(({ tree, indent }) =>
        fc.record({
          tree: fc.constant(tree),
          indent: fc.constant(indent),
          edits: fc.array(editArb(tree), { minLength: 1, maxLength: 4 }),
        }),
      );
    fc.assert(
      fc.property(caseArb, ({ tree, indent, edits }) => {
        // Arrange
        const text = JSON.stringify(tree, null, indent);
        const expected = applyTextEdits(tree, edits);
        fc.pre(expected !== null && typeof expected === "object" && Object.keys(expected).length > 0);

        // Act
        const output = edit(text, edits);

        // Assert
        expect(JSON.parse(output)).toEqual(expected);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});

const hasCfnLint = spawnSync("python3", ["-c", "import cfnlint.decode"]).status === 0;
if (!hasCfnLint && process.env.CI === "true") throw new Error("CI=true: cfn-lint is not installed");

describe.skipIf(!hasCfnLint)(
  "editTemplateText: PyYAML (the SAM CLI's reader) reads the edits the same way",
  () => {
    it("on merge keys, aliases and YAML 1.1 words", () => {
      // Arrange
      const text = lines(
        "defaults: &d",
        "  Auth:",
        "    Authorizer: Cognito",
        "shared: &s",
        "  ApiKeyRequired: yes",
        "one:",
        "  <<: *d",
        "  Path: /x",
        "two: {<<: [*d], Path: /y}",
        "three:",
        "  Auth: *s   # shared",
        "four:",
        "  Auth: *s",
      );
      const edits = [
        set(["one", "Auth", "ApiKeyRequired"], true),
        set(["two", "Auth", "ApiKeyRequired"], true),
        set(["three", "Auth", "ApiKeyRequired"], false),
        set(["shared", "Word"], "off"),
      ];
      const file = join(tempDir(), "edited.yaml");

      // Act
      writeFileSync(file, edit(text, edits));
      const read = spawnSync("python3", [join(__dirname, "..", "support", "pyyaml_read.py"), file], {
        encoding: "utf8",
      });

      // Assert
      const result = JSON.parse(read.stdout) as { ok: boolean; value: Json };
      expect(result.ok).toBe(true);
      expect(result.value).toEqual(applyTextEdits(parseCfnYaml(text).value, edits));
    });
  },
);
