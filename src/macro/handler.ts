import { applyEditsInPlace, type Json, planPushdown, TemplateShapeError } from "../pushdown";
import { MacroEventError, type MacroResponse, readMacroEvent } from "./event";
import { logLine, summarize } from "./log";

export type { MacroEvent, MacroResponse } from "./event";

/**
 * The CloudFormation macro: rewrites `event.fragment` so CORS preflights stop requiring the API key.
 *
 * Never throws and never rejects: a malformed event or a template part of the wrong shape that the
 * rewrite must read becomes `status: "failure"` with a message naming the place. A template the macro
 * has nothing to do on comes back as the very same object, whatever else is in it: SAM judges the rest.
 *
 * @param event - the macro event as the Lambda runtime hands it over (parsed JSON, possibly malformed)
 * @returns the answer CloudFormation expects, echoing `requestId` when the event carried one
 */
export async function handler(event: unknown): Promise<MacroResponse> {
  let requestId = "";
  try {
    const { fragment, templateParameterValues } = readMacroEvent(event, (id) => {
      requestId = id;
    });
    const { root, edits, report } = planPushdown(fragment, templateParameterValues);
    if (report.apis.length === 0) {
      log({ level: "INFO", requestId, status: "success", changes: 0, note: "nothing to rewrite" });
      return { requestId, status: "success", fragment };
    }
    // The runtime parsed this event for this call alone, so editing it in place is safe and copies nothing.
    const template = applyEditsInPlace(root, edits);
    log({ level: "INFO", requestId, status: "success", summary: summarize(report, edits.length) });
    return { requestId, status: "success", fragment: template };
  } catch (error) {
    const errorMessage = `CorsKeyPushdown: ${messageOf(error)}`;
    log({ level: "ERROR", requestId, status: "failure", errorMessage });
    return { requestId, status: "failure", fragment: fragmentOf(event), errorMessage };
  }
}

/** The fragment as received, for a failure answer (CloudFormation ignores it then). */
function fragmentOf(event: unknown): Json {
  try {
    const fragment = (event as { fragment?: unknown } | null)?.fragment;
    return fragment === undefined ? null : (fragment as Json);
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  try {
    if (error instanceof TemplateShapeError || error instanceof MacroEventError) return error.message;
    if (error instanceof RangeError) return `template too deeply nested to read (${error.message})`;
    return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  } catch {
    // An error whose message cannot even be read must still become a failure answer.
    return "unexpected error";
  }
}

function log(entry: Record<string, unknown>): void {
  try {
    process.stdout.write(logLine(entry));
  } catch {
    // Logging must never turn a good answer into a failed deployment.
  }
}
