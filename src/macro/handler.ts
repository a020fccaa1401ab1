import { applyEditsInPlace, errorMessage, type Json, planPushdown, TemplateShapeError } from "../pushdown";
import { MacroEventError, type MacroResponse, readMacroEvent } from "./event";
import { logLine, summarize } from "./log";
import { warmUpEvent } from "./warm-up";

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
  const { response, entry } = respond(event);
  try {
    process.stdout.write(logLine(entry));
  } catch {
    // Logging must never turn a good answer into a failed deployment.
  }
  return response;
}

/** The answer to one event, and the fields of its log line. */
function respond(event: unknown): { response: MacroResponse; entry: Record<string, unknown> } {
  let requestId = "";
  try {
    const { fragment, templateParameterValues } = readMacroEvent(event, (id) => {
      requestId = id;
    });
    const { root, edits, report } = planPushdown(fragment, templateParameterValues);
    if (report.apis.length === 0)
      return {
        response: { requestId, status: "success", fragment },
        entry: { level: "INFO", requestId, status: "success", changes: 0, note: "nothing to rewrite" },
      };
    // The runtime parsed this event for this call alone, so editing it in place is safe and copies nothing.
    const template = applyEditsInPlace(root, edits);
    return {
      response: { requestId, status: "success", fragment: template },
      entry: { level: "INFO", requestId, status: "success", summary: summarize(report, edits.length) },
    };
  } catch (error) {
    const errorMessage = `CorsKeyPushdown: ${messageOf(error)}`;
    return {
      response: { requestId, status: "failure", fragment: fragmentOf(event), errorMessage },
      entry: { level: "ERROR", requestId, status: "failure", errorMessage },
    };
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
    return `unexpected error: ${errorMessage(error)}`;
  } catch {
    // An error whose message cannot even be read must still become a failure answer.
    return "unexpected error";
  }
}

/** The environment variable that skips the warm-up when set to `off`, `false` or `0` (in any case). */
export const WARM_UP_VARIABLE = "CORS_KEY_PUSHDOWN_WARM_UP";

/**
 * How many times the warm-up rewrites its sample. V8 compiles a function on its first call and tiers it
 * up over its next few; on Node.js 24 (the Lambda runtime) one run left the first real call nearly as
 * slow as none, three halved it (docs/benchmarks.md has the figures).
 */
const WARM_UP_RUNS = 3;

/**
 * Rewrites a small sample template a few times, log line included but not written, while the module
 * loads. Most macro invocations are the first of their Lambda container: without this, compiling the
 * rewrite would happen inside that invocation. Here it happens in the init phase (before any request,
 * under provisioned concurrency). `CORS_KEY_PUSHDOWN_WARM_UP=off` skips it; npm run bench measures a new
 * container both ways. Nothing here may fail the module's load.
 *
 * @returns the sample's last answer (`undefined` only if the rewrite threw, which the tests rule out)
 */
export function warmUp(): MacroResponse | undefined {
  try {
    let answer: MacroResponse | undefined;
    for (let run = 0; run < WARM_UP_RUNS; run += 1) {
      const { response, entry } = respond(warmUpEvent());
      logLine(entry);
      answer = response;
    }
    return answer;
  } catch {
    return undefined;
  }
}

/** The warm-up's answer at load: `undefined` when `CORS_KEY_PUSHDOWN_WARM_UP=off` skipped it. */
export const warmUpAnswer: MacroResponse | undefined = /^\s*(off|false|0)\s*$/i.test(
  process.env[WARM_UP_VARIABLE] ?? "",
)
  ? undefined
  : warmUp();
