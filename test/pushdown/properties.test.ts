import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type JsonMap, pushDownApiKeys } from "../../src/pushdown";
import { corrupted, samTemplate } from "../support/arbitraries";
import {
  copiedSubtrees,
  eventFor,
  expectPrototypeClean,
  FUZZ_SEED,
  fuzzRuns,
  outsideChanges,
  runHandler,
} from "../support/handler-run";

afterEach(expectPrototypeClean);

const runs = (defaults: number) => ({ numRuns: fuzzRuns(defaults), seed: FUZZ_SEED });

/** Generated templates arrive as Lambda hands them over: parsed from text. */
const parsed = (template: JsonMap) => JSON.parse(JSON.stringify(template)) as JsonMap;

describe("the handler on any input", () => {
  it("never throws, always answers success or failure, and echoes requestId", async () => {
    // Arrange
    const events = fc.oneof(
      fc.anything(),
      fc.record({ requestId: fc.string(), fragment: fc.jsonValue() }),
      samTemplate().map((template) => eventFor(template)),
      corrupted(samTemplate()).map(({ template }) => eventFor(template)),
    );

    await fc.assert(
      fc.asyncProperty(events, async (event) => {
        // Act
        const response = await runHandler(event);

        // Assert
        expect(["success", "failure"]).toContain(response.status);
        const id = (event as { requestId?: unknown } | null)?.requestId;
        expect(response.requestId).toBe(typeof id === "string" ? id : "");
        if (response.status === "failure") expect(response.errorMessage).toMatch(/^CorsKeyPushdown: /);
      }),
      runs(300),
    );
  });

  it("names the corrupted place, never an unexpected error, when one part of a valid template is junk", async () => {
    // Arrange
    const cases = corrupted(samTemplate());

    await fc.assert(
      fc.asyncProperty(cases, async ({ template, at }) => {
        // Act
        const response = await runHandler(eventFor(template));

        // Assert: the rest of the template is valid, so only the junk (or something inside it) can be named
        if (response.status === "failure") {
          expect(response.errorMessage?.startsWith(`CorsKeyPushdown: ${at}`), response.errorMessage).toBe(
            true,
          );
          expect(response.errorMessage).toMatch(/: expected .+, found .+$/);
        }
      }),
      runs(300),
    );
  });

  it("does not even look at routes when no API requires a key", async () => {
    // Arrange: every function's Properties throws when touched
    const untouchable = new Proxy({} as JsonMap, {
      get: () => {
        throw new Error("read a route of a template without key");
      },
      ownKeys: () => {
        throw new Error("listed a route of a template without key");
      },
      getOwnPropertyDescriptor: () => {
        throw new Error("read a route of a template without key");
      },
    });
    const resources: JsonMap = {
      Api: { Type: "AWS::Serverless::Api", Properties: { Auth: { ApiKeyRequired: false } } },
    };
    for (let index = 0; index < 5000; index += 1)
      resources[`Fn${index}`] = { Type: "AWS::Serverless::Function", Properties: untouchable };
    const input: JsonMap = { Globals: { Api: { Cors: "'*'" } }, Resources: resources };

    // Act
    const started = performance.now();
    const response = await runHandler(eventFor(input));
    const elapsed = performance.now() - started;

    // Assert
    expect(response.status).toBe("success");
    expect(response.fragment).toBe(input);
    expect(elapsed).toBeLessThan(1_000);
  });
});

describe("the rewrite on SAM-shaped templates", () => {
  it("leaves everything outside the reported changes exactly as it was, and shares it", () => {
    // Arrange
    const templates = samTemplate().map(parsed);

    fc.assert(
      fc.property(templates, (input) => {
        const text = JSON.stringify(input);

        // Act
        const { template: output, report } = pushDownApiKeys(input);

        // Assert
        expect(JSON.stringify(input), "the input is never modified").toBe(text);
        const before = outsideChanges(input, report.changes);
        const after = outsideChanges(output, report.changes);
        expect(after).toEqual(before);
        expect(JSON.stringify(after)).toBe(JSON.stringify(before));
        expect(copiedSubtrees(input, output, report.changes)).toEqual([]);
        if (report.changes.length === 0) expect(output).toBe(input);
      }),
      runs(200),
    );
  });

  it("gives back the very same template when no API asks for a key or a default authorizer, malformed or not", async () => {
    // Arrange
    const options = { keys: false, authorizers: false };
    const templates = fc.oneof(
      samTemplate(options),
      corrupted(samTemplate(options)).map(({ template }) => template),
    );

    await fc.assert(
      fc.asyncProperty(templates, async (input) => {
        const text = JSON.stringify(input);

        // Act
        const response = await runHandler(eventFor(input));

        // Assert
        expect(response.status).toBe("success");
        expect(response.fragment).toBe(input);
        expect(JSON.stringify(response.fragment)).toBe(text);
      }),
      runs(200),
    );
  });

  it("is idempotent: its own output goes through unchanged", async () => {
    // Arrange
    const templates = samTemplate().map(parsed);

    await fc.assert(
      fc.asyncProperty(templates, async (input) => {
        const first = await runHandler(eventFor(input));
        fc.pre(first.status === "success");
        const once = first.fragment as JsonMap;

        // Act
        const second = await runHandler(eventFor(once));
        const { report } = pushDownApiKeys(once);

        // Assert
        expect(second.status).toBe("success");
        expect(report.changes).toEqual([]);
        expect(second.fragment).toEqual(once);
        expect(JSON.stringify(second.fragment)).toBe(JSON.stringify(once));
      }),
      runs(200),
    );
  });
});
