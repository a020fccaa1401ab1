// `npm run example`: the macro at work on examples/sample-api/template.yaml, through the built Lambda
// bundle and, when it is installed, the real SAM translator.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseCfnYaml } from "../src/cfn-yaml";
import type { MacroResponse } from "../src/macro/handler";
import { restApiMethods, restApis } from "../src/processed/methods";
import type { Json, JsonMap } from "../src/pushdown";

const root = process.cwd();
const file = process.argv[2] ?? "examples/sample-api/template.yaml";

async function main(): Promise<void> {
  const input = parseCfnYaml(readFileSync(join(root, file), "utf8")).value as JsonMap;
  const { handler } = createRequire(join(root, "package.json"))("./dist/handler.js") as {
    handler: (event: unknown) => Promise<MacroResponse>;
  };
  console.log(`# ${file} through dist/handler.js (its log line first)\n`);
  const response = await handler({
    requestId: "example",
    fragment: structuredClone(input),
    region: "us-east-1",
  });
  if (response.status !== "success") throw new Error(response.errorMessage);
  console.log("\n# What changed in the template");
  for (const line of changedLines(input, response.fragment as JsonMap, "")) console.log(`  ${line}`);
  showAfterSam(input, response.fragment as JsonMap);
}

function changedLines(before: Json | undefined, after: Json | undefined, at: string): string[] {
  const isMap = (v: Json | undefined): v is JsonMap =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isMap(before) && isMap(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((key) => changedLines(before[key], after[key], at ? `${at}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [`${at}: ${JSON.stringify(before) ?? "(absent)"} -> ${JSON.stringify(after) ?? "(absent)"}`];
}

/** Translates before and after with the real SAM translator and shows which methods require the key. */
function showAfterSam(before: JsonMap, after: JsonMap): void {
  const samOnly = (template: JsonMap) => ({ ...template, Transform: "AWS::Serverless-2016-10-31" });
  const lines = [before, after]
    .map((t, i) => JSON.stringify({ id: String(i), template: samOnly(t) }))
    .join("\n");
  const run = spawnSync("python3", [join(root, "test/conformance/sam_translate.py")], {
    input: `${lines}\n`,
    encoding: "utf8",
    env: { ...process.env, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION ?? "us-east-1" },
  });
  const results = run.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { ok?: boolean; output?: Json; error?: string; fatal?: string });
  if (run.status !== 0 || results.length !== 2 || !results[0]?.ok || !results[1]?.ok) {
    const why = results.find((r) => r.fatal || r.error);
    console.log(
      `\n(Skipping the SAM view: ${why?.fatal ?? why?.error ?? "python3 with aws-sam-translator is needed"})`,
    );
    return;
  }
  const [old, now] = results.map((r) => restApiMethods(r.output as Json));
  console.log("\n# After the real SAM transform: does API Gateway require x-api-key?");
  console.log("  method                              before  after");
  for (const method of old ?? []) {
    const later = now?.find(
      (m) => m.api === method.api && m.path === method.path && m.method === method.method,
    );
    const name = `${method.method.toUpperCase()} ${method.path}${method.preflight ? " (CORS preflight)" : ""}`;
    console.log(
      `  ${name.padEnd(36)}${yesNo(method.apiKeyRequired).padEnd(8)}${yesNo(later?.apiKeyRequired)}`,
    );
  }
  console.log("\n# API Gateway's own error answers: do they carry Access-Control-Allow-Origin?");
  console.log("  response                            before  after");
  const [oldApis, newApis] = results.map((r) => restApis(r.output as Json));
  for (const { api } of newApis ?? [])
    for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"]) {
      const origin = (apis: typeof newApis) => {
        const body = apis?.find((entry) => entry.api === api)?.body;
        const responses = body?.["x-amazon-apigateway-gateway-responses"] as JsonMap | undefined;
        const parameters = (responses?.[type] as JsonMap | undefined)?.responseParameters as
          | JsonMap
          | undefined;
        return parameters?.["gatewayresponse.header.Access-Control-Allow-Origin"] !== undefined;
      };
      console.log(
        `  ${`${api} ${type}`.padEnd(36)}${yesNo(origin(oldApis)).padEnd(8)}${yesNo(origin(newApis))}`,
      );
    }
  const plans = [results[0], results[1]].map((r) => usagePlanResources(r.output as JsonMap));
  console.log(
    `\n  Usage plan, API key and plan key resources unchanged: ${plans[0] === plans[1] ? "yes" : "NO"}`,
  );
}

function usagePlanResources(processed: JsonMap): string {
  const resources = processed.Resources as JsonMap;
  const kept = Object.entries(resources).filter(([, r]) =>
    /UsagePlan|ApiKey/.test(String((r as JsonMap).Type)),
  );
  return JSON.stringify(kept);
}

function yesNo(value: boolean | undefined): string {
  return value === undefined ? "-" : value ? "yes" : "no";
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
