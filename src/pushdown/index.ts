/*
 * The pure rewrite: a SAM template in, the rewritten template (or the edits that make it) and a report
 * out. Nothing here does I/O; the Lambda handler (src/macro) and the CLI (src/cli) are adapters.
 */
export { applyEdits, applyEditsInPlace, type Edit } from "./edits";
export { errorMessage, TemplateShapeError } from "./errors";
export type { Json, JsonMap } from "./json";
export type { ParameterValues } from "./parameters";
export { type PushdownPlan, type PushdownResult, planPushdown, pushDownApiKeys } from "./plan";
export type * from "./report";
