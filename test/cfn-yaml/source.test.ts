import { describe, expect, it } from "vitest";
import { placeOf, readTemplateSource, TemplateSyntaxError } from "../../src/cfn-yaml";

describe("readTemplateSource", () => {
  it("reads JSON as JSON: values from the JSON reader, the text kept for edits", () => {
    // Arrange
    const text = '{"Resources": {}, "Big": 123456789012345678901, "Zero": -0}';

    // Act
    const source = readTemplateSource(text);

    // Assert
    expect(source.format).toBe("json");
    expect(source.text).toBe(text);
    expect(source.value).toEqual({ Resources: {}, Big: Number("123456789012345678901"), Zero: -0 });
    expect(Object.is((source.value as { Zero: number }).Zero, -0)).toBe(true);
  });

  it("falls back to YAML for flow YAML that starts with a brace, as the SAM CLI does", () => {
    // Act
    const source = readTemplateSource("{Resources: {A: !Ref B}}\n");

    // Assert
    expect(source.format).toBe("yaml");
    expect(source.value).toEqual({ Resources: { A: { Ref: "B" } } });
  });

  it("keeps a byte order mark apart, so offsets and lines start with the template", () => {
    // Act
    const source = readTemplateSource('\uFEFF{\n  "Resources": {}\n}');

    // Assert
    expect(source.bom).toBe("\uFEFF");
    expect(placeOf(source, ["Resources"])).toEqual({ line: 2, column: 3 });
  });

  it("reads a JSON file with a byte order mark and a -0 in it: one number to the SAM CLI either way", () => {
    // Act
    const source = readTemplateSource('\uFEFF{"Resources": {}, "Metadata": {"Offset": -0}}');

    // Assert
    expect(source.format).toBe("json");
    expect(source.value).toEqual({ Resources: {}, Metadata: { Offset: -0 } });
  });

  it.each([
    ["a duplicate JSON key", '{\n  "A": 1,\n  "A": 2\n}', 3, /duplicate key "A"/],
    ["a duplicate key spelt with an escape", '{"A": 1, "\\u0041": 2}', 1, /duplicate key/],
    ["NaN, a number to Python's JSON reader", '{\n  "A": NaN\n}', 2, /NaN is a number/],
    ["-Infinity", '{"A": [1, -Infinity]}', 1, /-Infinity is a number/],
    ["broken JSON", '{\n  "A": [1,\n}', 3, /invalid JSON/],
  ])("refuses %s, with the line", (_name, text, line, message) => {
    // Act
    const read = () => readTemplateSource(text);

    // Assert
    expect(read).toThrow(TemplateSyntaxError);
    expect(read).toThrow(expect.objectContaining({ line, message: expect.stringMatching(message) }));
  });

  it("reads NaN inside a string as text", () => {
    expect(readTemplateSource('{"A": "NaN and -Infinity"}').value).toEqual({ A: "NaN and -Infinity" });
  });

  it("refuses JSON nested too deep to read, without a stack trace", () => {
    // Arrange
    const text = `{"A": ${"[".repeat(20_000)}${"]".repeat(20_000)}}`;

    // Act
    const read = () => readTemplateSource(text);

    // Assert
    expect(read).toThrow(/too deeply nested/);
  });
});
