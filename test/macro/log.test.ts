import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logLine, MAX_LOG_LINE_BYTES, summarize } from "../../src/macro/log";
import type { PushdownReport } from "../../src/pushdown";

/** CloudWatch Logs' limit on one event: 256 KB, 26 bytes of which are its own overhead. */
const CLOUDWATCH_EVENT_BYTES = 262_144 - 26;

/** A report as large as a template could make it: many APIs, routes, opt-outs and long warnings. */
function hugeReport(count: number, text: string): PushdownReport {
  const at = ["Resources", text, "Properties"];
  return {
    apis: Array.from({ length: count }, (_, i) => ({
      api: `${text}${i}`,
      at,
      keyFrom: "own",
      strategy: "pushdown",
      reason: text,
      exact: true,
      preflightPaths: [],
      authorizer: { name: text, freed: true, changed: true, reason: text },
      gatewayResponses: { added: Array(count).fill(text), reason: text },
    })),
    routes: Array.from({ length: count }, (_, i) => ({
      api: "A",
      route: `${text}${i}`,
      at,
      method: "GET",
      path: text,
      protection: "added",
    })),
    optOuts: Array.from({ length: count }, () => ({ api: "A", route: text, at })),
    warnings: Array.from({ length: count }, () => ({ at, message: text })),
    changes: [],
  };
}

describe("the log line", () => {
  it("stays under CloudWatch's event limit for a report of 5,000 entries of every kind", () => {
    // Act
    const line = logLine({
      level: "INFO",
      requestId: "r",
      summary: summarize(hugeReport(5_000, "x".repeat(2_000)), 5_000),
    });

    // Assert
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(CLOUDWATCH_EVENT_BYTES);
    expect(JSON.parse(line).summary).toMatchObject({ apiCount: 5_000, routesWithKey: 5_000, changes: 5_000 });
  });

  it("keeps counts and at most 50 names of each kind", () => {
    // Act
    const summary = summarize(hugeReport(120, "r"), 7);

    // Assert
    expect(summary.routesAdded).toHaveLength(51);
    expect(summary.routesAdded[50]).toBe("... and 70 more");
    expect(summary.apis).toHaveLength(50);
    expect(summary).toMatchObject({ apiCount: 120, routesWithKey: 120, changes: 7 });
  });

  it("is one line of JSON under the budget whatever the texts hold", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.string({ maxLength: 3_000 }), (count, text) => {
        // Act
        const line = logLine({
          level: "ERROR",
          errorMessage: text.repeat(50),
          summary: summarize(hugeReport(count, text), count),
        });

        // Assert
        expect(line.endsWith("\n")).toBe(true);
        expect(line.slice(0, -1)).not.toContain("\n");
        expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LOG_LINE_BYTES);
        expect(() => JSON.parse(line)).not.toThrow();
      }),
      { numRuns: 40 },
    );
  });
});
