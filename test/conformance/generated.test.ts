import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { type ApiMethod, restApiMethods } from "../../src/processed/methods";
import { type Json, type JsonMap, pushDownApiKeys } from "../../src/pushdown";
import { samTemplate } from "../support/arbitraries";
import { eventFor, expectPrototypeClean, FUZZ_SEED, fuzzRuns, runHandler } from "../support/handler-run";
import { translateBatch, translatorMissing } from "../support/translator";

afterEach(expectPrototypeClean);

// Under CI=true a missing translator throws here and fails the file instead of skipping it.
const missing = translatorMissing();

/** How many generated templates go through the real translator: ~30 by default, a tenth of FUZZ_RUNS. */
const SAMPLE = fuzzRuns(30, 0.1);
/** The translator takes about half a second per template, two templates per case. */
const TIMEOUT_MS = 30_000 + SAMPLE * 2 * 1_500;

describe.skipIf(missing !== undefined)("generated templates through the real SAM translator", () => {
  it(
    `no route loses its key and no preflight keeps it (${SAMPLE} cases, seed ${FUZZ_SEED})`,
    async () => {
      // Arrange: favour templates the macro has work in, as text-parsed JSON the way Lambda gets it
      const pool = fc.sample(samTemplate(), { numRuns: SAMPLE * 3, seed: FUZZ_SEED });
      const keyed = pool.filter((t) => pushDownApiKeys(t).report.apis.length > 0);
      const cases = [...keyed, ...pool.filter((t) => !keyed.includes(t))]
        .slice(0, SAMPLE)
        .map((t) => JSON.parse(JSON.stringify(t)) as JsonMap);

      // Act
      const outputs: Json[] = [];
      const failures: string[] = [];
      for (const [index, input] of cases.entries()) {
        const response = await runHandler(eventFor(input));
        if (response.status !== "success") failures.push(`case ${index}: ${response.errorMessage}`);
        outputs.push(response.fragment);
      }
      const batch = new Map<string, Json>();
      cases.forEach((input, index) => {
        batch.set(`in-${index}`, input);
        batch.set(`out-${index}`, outputs[index] as Json);
      });
      const translated = await translateBatch(batch);

      // Assert
      const violations: string[] = [];
      let checked = 0;
      for (const [index, input] of cases.entries()) {
        const before = translated.get(`in-${index}`);
        const after = translated.get(`out-${index}`);
        if (!before?.ok) continue;
        const failed = failures.find((line) => line.startsWith(`case ${index}:`));
        if (failed) {
          violations.push(`${failed} (SAM accepts the input)\n${JSON.stringify(input)}`);
          continue;
        }
        if (!after?.ok) {
          violations.push(`case ${index}: SAM rejects the output: ${after?.error}\n${JSON.stringify(input)}`);
          continue;
        }
        checked += 1;
        const unchanged = new Set(
          pushDownApiKeys(input)
            .report.apis.filter((api) => api.strategy === "unchanged")
            .map((api) => api.api),
        );
        for (const line of methodViolations(
          restApiMethods(before.output),
          restApiMethods(after.output),
          unchanged,
        ))
          violations.push(`case ${index}: ${line}\n${JSON.stringify(input)}`);
      }
      const skipped = cases.filter((_, index) => !translated.get(`in-${index}`)?.ok).length;
      console.info(
        `SAM translator: ${checked} of ${cases.length} cases checked, ${skipped} skipped as SAM rejects the input (${keyed.length} of ${pool.length} generated had a keyed API), seed ${FUZZ_SEED}`,
      );
      expect(violations.slice(0, 5)).toEqual([]);
      expect(checked, "too few generated templates are valid SAM to check anything").toBeGreaterThan(
        cases.length / 3,
      );
    },
    TIMEOUT_MS,
  );
});

/** The macro's promise, method by method: keys stay on routes, go off preflights, appear nowhere new. */
function methodViolations(
  before: readonly ApiMethod[],
  after: readonly ApiMethod[],
  keptOnPurpose: ReadonlySet<string>,
): string[] {
  const name = (m: ApiMethod) =>
    `${m.api} ${m.method.toUpperCase()} ${m.path}${m.branch ? ` [${m.branch}]` : ""}`;
  const now = new Map(after.map((m) => [name(m), m]));
  const lines: string[] = [];
  if (before.length !== after.length) lines.push(`${before.length} methods became ${after.length}`);
  for (const old of before) {
    const method = now.get(name(old));
    if (!method) lines.push(`method gone: ${name(old)}`);
    else if (method.preflight && method.apiKeyRequired && !keptOnPurpose.has(method.api))
      lines.push(`preflight still requires the key: ${name(old)}`);
    else if (!old.preflight && old.apiKeyRequired && !method.apiKeyRequired)
      lines.push(`ROUTE LOST ITS KEY: ${name(old)}`);
    else if (!old.preflight && !old.apiKeyRequired && method.apiKeyRequired)
      lines.push(`method gained a key: ${name(old)}`);
  }
  return lines;
}
