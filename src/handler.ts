import type { MacroEvent, MacroResponse } from "./macro-event";
import { type Json, pushDownApiKeys, TemplateShapeError } from "./pushdown";
import { summarize } from "./summary";

export type { MacroEvent, MacroResponse } from "./macro-event";

/**
 * The CloudFormation macro: rewrites `event.fragment` so CORS preflights stop requiring the API key.
 * Never throws: anything unexpected becomes `status: "failure"` with a message naming the place.
 */
export async function handler(event: MacroEvent): Promise<MacroResponse> {
  const requestId = readRequestId(event);
  const fragment = isObject(event) ? (event.fragment as Json) : null;
  try {
    if (!isObject(event)) throw new TemplateShapeError("(event)", "a macro event object", describeRaw(event));
    if (!isObject(fragment))
      throw new TemplateShapeError("fragment", "the template as a map", describeRaw(fragment));
    const { template, report } = pushDownApiKeys(fragment);
    log({ level: "INFO", requestId, status: "success", ...summarize(report) });
    return { requestId, status: "success", fragment: template };
  } catch (error) {
    const errorMessage = `CorsKeyPushdown: ${messageOf(error)}`;
    log({ level: "ERROR", requestId, status: "failure", errorMessage });
    return { requestId, status: "failure", fragment: fragment ?? null, errorMessage };
  }
}

function readRequestId(event: unknown): string {
  const id = isObject(event) ? (event as { requestId?: unknown }).requestId : undefined;
  return typeof id === "string" ? id : "";
}

function messageOf(error: unknown): string {
  if (error instanceof TemplateShapeError) return error.message;
  if (error instanceof RangeError) return `template too deeply nested to read (${error.message})`;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeRaw(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  return Array.isArray(value) ? "a list" : typeof value;
}

function log(entry: Record<string, unknown>): void {
  try {
    process.stdout.write(
      `${JSON.stringify({ timestamp: new Date().toISOString(), service: "CorsKeyPushdown", ...entry })}\n`,
    );
  } catch {
    // Logging must never turn a good answer into a failed deployment.
  }
}
