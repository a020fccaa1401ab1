import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Json } from "../../src/pushdown";

const DRIVER = join(__dirname, "..", "conformance", "sam_translate.py");
const INSTALL_HINT = "pip install aws-sam-translator cfn-lint";

/** One template's translation: the CloudFormation SAM produced, or SAM's error. */
export type Translation = { ok: true; output: Json } | { ok: false; error: string };

/**
 * Whether the real SAM translator can run here. Under `CI=true` its absence is an error, never a skip.
 * @returns a skip reason, or `undefined` when the translator is there
 */
export function translatorMissing(): string | undefined {
  const probe = spawnSync("python3", ["-c", "import samtranslator"], { encoding: "utf8" });
  if (probe.status === 0) return undefined;
  const reason = `the AWS SAM translator is not installed (${INSTALL_HINT})`;
  if (process.env.CI === "true") throw new Error(`CI=true: ${reason}`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

/** Translates a batch of templates in one translator process (each in a forked child, so state never leaks). */
export async function translateBatch(
  templates: ReadonlyMap<string, Json>,
): Promise<Map<string, Translation>> {
  const child = spawn("python3", [DRIVER], {
    env: { ...process.env, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION ?? "us-east-1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<number | null>((resolve) => child.on("close", resolve));
  for (const [id, template] of templates) child.stdin.write(`${JSON.stringify({ id, template })}\n`);
  child.stdin.end();
  const code = await done;
  const results = new Map<string, Translation>();
  for (const line of stdout.split("\n").filter(Boolean)) {
    const parsed = JSON.parse(line) as { id: string; fatal?: string } & Translation;
    if (parsed.fatal) throw new Error(parsed.fatal);
    results.set(
      parsed.id,
      parsed.ok ? { ok: true, output: parsed.output } : { ok: false, error: parsed.error },
    );
  }
  if (results.size !== templates.size) {
    throw new Error(
      `translator answered ${results.size} of ${templates.size} templates (exit ${code}): ${stderr.slice(-2000)}`,
    );
  }
  return results;
}
