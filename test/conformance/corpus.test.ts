import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCfnYaml } from "../../src/cfn-yaml";
import { keyedPreflights, restApiMethods, restApis } from "../../src/processed/methods";
import { type Json, type PushdownReport, pushDownApiKeys } from "../../src/pushdown";
import { runBuiltHandler } from "../support/built-handler";
import { expandForEach } from "../support/foreach";
import { ruleViolations } from "../support/rule";
import { type Translation, translateBatch, translatorMissing } from "../support/translator";

const CORPUS = join(__dirname, "templates");
const files = readdirSync(CORPUS)
  .filter((name) => name.endsWith(".yaml"))
  .sort();
const skip = translatorMissing();

interface Case {
  readonly input: Json;
  readonly output: Json;
  readonly report: PushdownReport;
}

describe.skipIf(skip !== undefined)(
  "conformance: the corpus through dist/handler.js and the real SAM translator",
  () => {
    const cases = new Map<string, Case>();
    let translations: Map<string, Translation>;

    beforeAll(async () => {
      const batch = new Map<string, Json>();
      for (const file of files) {
        const input = parseCfnYaml(readFileSync(join(CORPUS, file), "utf8")).value;
        const response = await runBuiltHandler(structuredClone(input));
        if (response.status !== "success") throw new Error(`${file}: ${response.errorMessage}`);
        cases.set(file, { input, output: response.fragment, report: pushDownApiKeys(input).report });
        // AWS::LanguageExtensions runs between the macro and SAM where a template lists it so.
        batch.set(`${file}:before`, expandForEach(input));
        batch.set(`${file}:after`, expandForEach(response.fragment));
      }
      translations = await translateBatch(batch);
    });

    it("has a corpus of at least 40 templates", () => {
      expect(files.length).toBeGreaterThanOrEqual(40);
    });

    it.each(files)("%s: keys stay on routes, leave preflights, nothing else changes", (file) => {
      // Arrange
      const { report, output } = cases.get(file) as Case;
      const before = translations.get(`${file}:before`) as Translation;
      const after = translations.get(`${file}:after`) as Translation;

      // Act
      if (!before.ok) throw new Error(`SAM rejects the corpus template itself: ${before.error}`);
      if (!after.ok)
        throw new Error(`SAM rejects the macro's output: ${after.error}\n${JSON.stringify(output)}`);
      const violations = ruleViolations(before.output, after.output, report);

      // Assert
      expect(violations).toEqual([]);
    });

    it.each(files)(
      "%s: the built handler agrees with the core and explains every keyed preflight left",
      (file) => {
        // Arrange
        const { input, output, report } = cases.get(file) as Case;
        const after = translations.get(`${file}:after`) as Translation;
        const unchangedWithWarning = new Set(
          report.apis.filter((api) => api.strategy === "unchanged").map((api) => api.api),
        );

        // Act
        const core = pushDownApiKeys(input).template;
        const leftKeyed = after.ok ? keyedPreflights(after.output) : [];

        // Assert
        expect(output).toStrictEqual(core);
        for (const preflight of leftKeyed) {
          expect(unchangedWithWarning.has(preflight.api), `${preflight.api} ${preflight.path}`).toBe(true);
          expect(report.warnings.length).toBeGreaterThan(0);
        }
      },
    );

    it.each(files)("%s: a template the macro does not change comes back byte for byte", (file) => {
      // Arrange
      const { input, output, report } = cases.get(file) as Case;

      // Act
      const untouched = report.changes.length === 0;

      // Assert
      if (untouched) expect(JSON.stringify(output)).toBe(JSON.stringify(input));
      else expect(JSON.stringify(output)).not.toBe(JSON.stringify(input));
    });

    it("pushes the key down onto the routes of most keyed APIs whose preflights required it", () => {
      // Arrange: APIs with Api-event routes whose preflights required the key before the macro.
      const outcomes = files.flatMap((file) => {
        const { report } = cases.get(file) as Case;
        const before = translations.get(`${file}:before`) as Translation;
        const keyed = new Set(before.ok ? keyedPreflights(before.output).map((method) => method.api) : []);
        return report.apis.filter(
          (api) => keyed.has(api.api) && report.routes.some((route) => route.api === api.api),
        );
      });

      // Act
      const pushedDown = outcomes.filter((api) => api.strategy === "pushdown").length;

      // Assert: the corpus seeks out the cases that cannot be pushed down (bodies, MergeDefinitions,
      // OverrideApiAuth, Fn::ForEach), so its share is lower than on everyday templates.
      console.log(`pushdown on ${pushedDown} of ${outcomes.length} keyed APIs with routes`);
      expect(pushedDown / outcomes.length).toBeGreaterThanOrEqual(0.8);
    });

    it("gives the error answers of APIs with a key or an authorizer and Cors the preflights' origin", () => {
      // Arrange: after the macro, APIs whose preflights have a CORS origin and that needed a key or a token.
      const checked: string[] = [];
      const missing: string[] = [];
      for (const file of files) {
        const { report } = cases.get(file) as Case;
        const after = translations.get(`${file}:after`) as Translation;
        if (!after.ok) continue;
        const handled = new Set(
          report.apis.filter((api) => api.keyFrom || api.authorizer).map((api) => api.api),
        );
        const preflightApis = new Set(
          restApiMethods(after.output)
            .filter((m) => m.preflight)
            .map((m) => m.api),
        );
        for (const { api, body } of restApis(after.output)) {
          if (!handled.has(api) || !preflightApis.has(api)) continue;
          checked.push(`${file} ${api}`);
          // Act
          const responses = body["x-amazon-apigateway-gateway-responses"] as Record<string, Json> | undefined;
          const origin = (type: string) =>
            (
              (responses?.[type] as Record<string, Json> | undefined)?.responseParameters as Record<
                string,
                Json
              >
            )?.["gatewayresponse.header.Access-Control-Allow-Origin"];
          if (origin("DEFAULT_4XX") === undefined || origin("DEFAULT_5XX") === undefined)
            missing.push(`${file} ${api}`);
        }
      }

      // Assert
      console.log(
        `error answers with CORS on ${checked.length - missing.length} of ${checked.length} APIs`,
        missing,
      );
      expect(checked.length).toBeGreaterThan(50);
      expect((checked.length - missing.length) / checked.length).toBeGreaterThanOrEqual(0.9);
    });

    it("exercises the bug: most keyed templates had preflights requiring a key before the macro", () => {
      // Arrange
      const befores = files.map((file) => translations.get(`${file}:before`) as Translation);

      // Act
      const withKeyedPreflights = befores.filter((t) => t.ok && keyedPreflights(t.output).length > 0).length;
      const methods = befores.reduce((sum, t) => sum + (t.ok ? restApiMethods(t.output).length : 0), 0);

      // Assert
      expect(withKeyedPreflights).toBeGreaterThanOrEqual(30);
      expect(methods).toBeGreaterThan(100);
    });
  },
);
