import type { Json } from "../pushdown";

/** The event CloudFormation sends a template macro (`@types/aws-lambda` has no type for it). */
export interface MacroEvent {
  readonly region: string;
  readonly accountId: string;
  readonly fragment: Json;
  readonly transformId: string;
  readonly params: Record<string, unknown>;
  readonly requestId: string;
  readonly templateParameterValues: Record<string, unknown>;
}

/** The answer CloudFormation expects from a macro. */
export interface MacroResponse {
  readonly requestId: string;
  readonly status: "success" | "failure";
  readonly fragment: Json;
  readonly errorMessage?: string;
}
