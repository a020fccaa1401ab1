import type { Json, JsonMap, ParameterValues } from "../pushdown";
import { describe, isMap } from "../pushdown/json";

/** The event CloudFormation sends a template macro (`@types/aws-lambda` has no type for it), as read. */
export interface MacroEvent {
  readonly requestId: string;
  /** The template (or, for `Fn::Transform`, the snippet) to process. */
  readonly fragment: JsonMap;
  /** The stack's parameter values, where CloudFormation sent them. */
  readonly templateParameterValues: ParameterValues;
}

/** The answer CloudFormation expects from a macro. */
export interface MacroResponse {
  readonly requestId: string;
  readonly status: "success" | "failure";
  readonly fragment: Json;
  readonly errorMessage?: string;
}

/** The event is not one CloudFormation sends: `field` says which part, `expected` what belongs there. */
export class MacroEventError extends Error {
  public override readonly name = "MacroEventError";

  public constructor(
    public readonly field: string,
    public readonly expected: string,
    public readonly found: string,
  ) {
    super(`${field}: expected ${expected}, found ${found}`);
  }
}

/**
 * Reads the event the Lambda runtime hands over (parsed JSON of any shape).
 *
 * @param raw - the event as received
 * @param onRequestId - called with the request id as soon as it is known, so even a failure answer echoes it
 * @throws MacroEventError naming the first part that is not as CloudFormation sends it
 */
export function readMacroEvent(raw: unknown, onRequestId: (id: string) => void = () => {}): MacroEvent {
  if (!isMap(raw)) throw new MacroEventError("(event)", "a macro event object", describe(raw));
  const { requestId, fragment, templateParameterValues } = raw;
  if (typeof requestId === "string") onRequestId(requestId);
  // CloudFormation matches answers to requests by this id; an event without one is not from it.
  else
    throw new MacroEventError("requestId", "the request id string CloudFormation sends", describe(requestId));
  if (!isMap(fragment)) throw new MacroEventError("fragment", "the template as a map", describe(fragment));
  return {
    requestId,
    fragment,
    // Only Auth settings given as parameters are read from these; any other shape carries none.
    templateParameterValues: isMap(templateParameterValues) ? templateParameterValues : {},
  };
}
