import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Json, sameJson } from "../../src/pushdown/json";

/** The same value with every map's keys in reverse order. */
function reordered(value: Json): Json {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, Json> = {};
  for (const key of Object.keys(value).reverse())
    Object.defineProperty(copy, key, {
      value: reordered(value[key] as Json),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

describe("sameJson", () => {
  it("holds for a template and a copy of it whose maps list their keys in another order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(sameJson(value as Json, reordered(value as Json))).toBe(true);
      }),
    );
  });

  it("fails when one value anywhere differs", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), fc.string(), (map, key) => {
        const changed = { ...map, [key]: "changed" };
        expect(sameJson(map, changed)).toBe(false);
      }),
    );
  });

  it("tells -0 from 0 and lists from maps, and takes NaN as itself", () => {
    expect(sameJson(-0, 0)).toBe(false);
    expect(sameJson({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(sameJson(Number.NaN, Number.NaN)).toBe(true);
    expect(sameJson({ a: null }, {})).toBe(false);
  });
});
