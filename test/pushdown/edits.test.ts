import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEdits, applyEditsInPlace, type Edit } from "../../src/pushdown/edits";
import type { JsonMap } from "../../src/pushdown/json";

describe("applyEdits", () => {
  it("sets a key in place, keeping key order, and leaves the input alone", () => {
    // Arrange
    const input: JsonMap = { a: { x: 1, y: 2, z: 3 }, b: [1] };
    const edits: Edit[] = [{ kind: "set", path: ["a", "y"], value: false }];

    // Act
    const output = applyEdits(input, edits);

    // Assert
    expect(Object.keys(output.a as JsonMap)).toEqual(["x", "y", "z"]);
    expect((output.a as JsonMap).y).toBe(false);
    expect((input.a as JsonMap).y).toBe(2);
    expect(output.b).toBe(input.b);
  });

  it("creates missing maps on the way and appends new keys at the end", () => {
    // Arrange
    const input: JsonMap = { p: { first: 1 } };

    // Act
    const output = applyEdits(input, [{ kind: "set", path: ["p", "Auth", "ApiKeyRequired"], value: true }]);

    // Assert
    expect(output).toEqual({ p: { first: 1, Auth: { ApiKeyRequired: true } } });
    expect(Object.keys(output.p as JsonMap)).toEqual(["first", "Auth"]);
  });

  it("deletes keys and copies each map on the path once, however many edits touch it", () => {
    // Arrange
    const input: JsonMap = { r: { a: 1, b: 2, c: 3 } };

    // Act
    const output = applyEdits(input, [
      { kind: "delete", path: ["r", "a"] },
      { kind: "set", path: ["r", "c"], value: 4 },
    ]);

    // Assert
    expect(output).toEqual({ r: { b: 2, c: 4 } });
    expect(input).toEqual({ r: { a: 1, b: 2, c: 3 } });
  });

  it("keeps __proto__ keys as data and never touches Object.prototype", () => {
    // Arrange
    const input = JSON.parse('{"__proto__": {"polluted": true}, "m": {"__proto__": 1}}') as JsonMap;

    // Act
    const output = applyEdits(input, [{ kind: "set", path: ["m", "k"], value: 1 }]);

    // Assert
    expect(JSON.stringify(output)).toBe('{"__proto__":{"polluted":true},"m":{"__proto__":1,"k":1}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
  });

  it("changes nothing for a delete under a missing key: no map is made on its way", () => {
    // Arrange
    const input: JsonMap = { r: { a: 1 }, s: 2 };

    // Act
    const output = applyEdits(input, [
      { kind: "delete", path: ["r", "Auth", "ApiKeyRequired"] },
      { kind: "delete", path: ["s", "x"] },
    ]);

    // Assert
    expect(output).toEqual({ r: { a: 1 }, s: 2 });
  });

  it("edits the template itself the same way when asked to edit in place", () => {
    const keyArb = fc.constantFrom("a", "b", "__proto__");
    const treeArb = fc.dictionary(
      keyArb,
      fc.dictionary(keyArb, fc.oneof(fc.integer(), fc.dictionary(keyArb, fc.integer()))),
    );
    const editArb = fc.oneof(
      fc.record({
        kind: fc.constant("set" as const),
        path: fc.array(keyArb, { minLength: 1, maxLength: 3 }),
        value: fc.integer(),
      }),
      fc.record({
        kind: fc.constant("delete" as const),
        path: fc.array(keyArb, { minLength: 1, maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(treeArb, fc.array(editArb, { maxLength: 5 }), (tree, edits) => {
        // Arrange
        const input = JSON.parse(JSON.stringify(tree)) as JsonMap;
        const owned = JSON.parse(JSON.stringify(tree)) as JsonMap;

        // Act
        const copied = applyEdits(input, edits);
        const edited = applyEditsInPlace(owned, edits);

        // Assert
        expect(JSON.stringify(edited)).toBe(JSON.stringify(copied));
        expect(JSON.stringify(input)).toBe(JSON.stringify(tree));
      }),
    );
  });

  it("returns the very input when there is nothing to do", () => {
    // Arrange
    const input: JsonMap = { a: 1 };

    // Act / Assert
    expect(applyEdits(input, [])).toBe(input);
  });

  it("property: the output differs from the input only at edited paths", () => {
    const keyArb = fc.constantFrom("a", "b", "c", "__proto__", "constructor");
    const treeArb = fc.dictionary(keyArb, fc.dictionary(keyArb, fc.integer()));
    fc.assert(
      fc.property(treeArb, keyArb, keyArb, fc.integer(), (tree, k1, k2, value) => {
        // Arrange
        const input = JSON.parse(JSON.stringify(tree)) as JsonMap;
        const snapshot = JSON.stringify(input);

        // Act
        const output = applyEdits(input, [{ kind: "set", path: [k1, k2], value }]);

        // Assert
        expect(JSON.stringify(input)).toBe(snapshot);
        expect((output[k1] as JsonMap)[k2]).toBe(value);
        for (const key of Object.keys(input)) if (key !== k1) expect(output[key]).toBe(input[key]);
      }),
    );
  });
});
