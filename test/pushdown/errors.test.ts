import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { errorMessage, TemplateShapeError } from "../../src/pushdown";

describe("errorMessage", () => {
  it("is an Error's own message, for any Error subclass", () => {
    fc.assert(
      fc.property(fc.string(), (message) => {
        expect(errorMessage(new Error(message))).toBe(message);
        expect(errorMessage(new RangeError(message))).toBe(message);
      }),
    );
  });

  it("names the place for a template shape error, as its message does", () => {
    // Act
    const message = errorMessage(new TemplateShapeError(["Resources", "Fn"], "a map", "a list"));

    // Assert
    expect(message).toBe("Resources.Fn: expected a map, found a list");
  });

  it("is the thrown value as text when something other than an Error was thrown", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
        (value) => {
          expect(errorMessage(value)).toBe(String(value));
        },
      ),
    );
  });
});
