import { applyEditsInPlace, type Json, planKeyed, TemplateShapeError } from "../pushdown";
import { mayRequireKey } from "../pushdown/apis";
import type { MacroEvent, MacroResponse } from "./event";
import { summarize } from "./log";

export type { MacroEvent, MacroResponse } from "./event";

/**
 * The CloudFormation macro: rewrites `event.fragment` so CORS preflights stop requiring the API key.
 *
 * Never throws and never rejects: a malformed event or a template part of the wrong shape that the
 * rewrite must read becomes `status: "failure"` with a message naming the place. A template in which no
 * API requires a key comes back as the very same object, whatever else is in it: SAM judges the rest.
 *
 * @param event - the macro event as the Lambda runtime hands it over (parsed JSON, possibly malformed)
 * @returns the answer CloudFormation expects, echoing `requestId` when the event carried one
 */
export async function handler(event: MacroEvent): Promise<MacroResponse> {
  let requestId = "";
  let fragment: Json = null;
  try {
    if (!isObject(event)) throw new TemplateShapeError("(event)", "a macro event object", describeRaw(event));
    const id = (event as { requestId?: unknown }).requestId;
    if (typeof id === "string") requestId = id;
    fragment = (event.fragment as Json | undefined) ?? null;
    // CloudFormation matches answers to requests by this id; an event without one is not from it.
    if (typeof id !== "string")
      throw new TemplateShapeError(
        "requestId",
        "the request id string CloudFormation sends",
        describeRaw(id),
      );
    if (!isObject(fragment))
      throw new TemplateShapeError("fragment", "the template as a map", describeRaw(event.fragment));
    if (!mayRequireKey(fragment)) {
      log({ level: "INFO", requestId, status: "success", changes: 0, note: "no API requires a key" });
      return { requestId, status: "success", fragment };
    }
    const { root, edits, report } = planKeyed(fragment, parameterValuesOf(event));
    // The runtime parsed this event for this call alone, so editing it in place is safe and copies nothing.
    const template = applyEditsInPlace(root, edits);
    log({ level: "INFO", requestId, status: "success", ...summarize(report) });
    return { requestId, status: "success", fragment: template };
  } catch (error) {
    const errorMessage = `CorsKeyPushdown: ${messageOf(error)}`;
    log({ level: "ERROR", requestId, status: "failure", errorMessage });
    return { requestId, status: "failure", fragment, errorMessage };
  }
}

/** The stack's parameter values, when CloudFormation sent them as a map (SAM resolves Auth refs with them). */
function parameterValuesOf(event: MacroEvent): Record<string, unknown> {
  const values = (event as { templateParameterValues?: unknown }).templateParameterValues;
  return isObject(values) ? values : {};
}

function messageOf(error: unknown): string {
  try {
    if (error instanceof TemplateShapeError) return error.message;
    if (error instanceof RangeError) return `template too deeply nested to read (${error.message})`;
    return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  } catch {
    // An error whose message cannot even be read must still become a failure answer.
    return "unexpected error";
  }
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
