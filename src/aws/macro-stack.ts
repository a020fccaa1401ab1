import { paginateListChangeSets, type Stack } from "@aws-sdk/client-cloudformation";
import { isMap, type Json, own } from "../pushdown/json";
import { typeOf } from "../pushdown/template";
import { type CloudFormation, call } from "./client";
import { readTemplate } from "./stacks";

/**
 * How every CorsKeyPushdown template's Description starts (template.yaml's, carried into
 * macro.template.json): together with the macro it registers, what tells the macro's stack from any other.
 */
export const MACRO_DESCRIPTION_PREFIX = "CorsKeyPushdown macro";

/** How the change sets `deploy` creates are described, so a stack holding only one of them is known as ours. */
export const CHANGE_SET_DESCRIPTION_PREFIX = `${MACRO_DESCRIPTION_PREFIX}, by cors-key-pushdown deploy`;

/** Whether `template` is a CorsKeyPushdown template: described as one, and registering an `AWS::CloudFormation::Macro`. */
export function registersCorsKeyPushdown(template: Json): boolean {
  if (!isMap(template)) return false;
  const description = own(template, "Description");
  if (typeof description !== "string" || !description.startsWith(MACRO_DESCRIPTION_PREFIX)) return false;
  const resources = own(template, "Resources");
  if (!isMap(resources)) return false;
  return Object.values(resources).some((resource) => typeOf(resource) === "AWS::CloudFormation::Macro");
}

/** Whether the stack's own description and outputs (`MacroName`, `MacroFunctionArn`) say it is the macro's stack. */
export function outputsSayCorsKeyPushdown(stack: Stack): boolean {
  if (!stack.Description?.startsWith(MACRO_DESCRIPTION_PREFIX)) return false;
  const keys = new Set((stack.Outputs ?? []).map((output) => output.OutputKey));
  return keys.has("MacroName") && keys.has("MacroFunctionArn");
}

/**
 * Whether `stack` is a CorsKeyPushdown stack, which `deploy` may update: its outputs say so, or its template
 * registers the macro. A stack still in review (created from a change set never executed) has no template
 * yet; it counts when one of its change sets was made by `deploy` or holds a CorsKeyPushdown template.
 */
export async function isCorsKeyPushdownStack(cfn: CloudFormation, stack: Stack): Promise<boolean> {
  if (outputsSayCorsKeyPushdown(stack)) return true;
  const id = stack.StackId ?? stack.StackName ?? "";
  if (stack.StackStatus !== "REVIEW_IN_PROGRESS")
    return registersCorsKeyPushdown(await readTemplate(cfn, { stack: id, stage: "Original" }));
  const changeSets = await call(cfn, "ListChangeSets", async () => {
    const found: { id: string; description: string | undefined }[] = [];
    for await (const page of paginateListChangeSets({ client: cfn.client }, { StackName: id }))
      for (const summary of page.Summaries ?? [])
        if (summary.ChangeSetId) found.push({ id: summary.ChangeSetId, description: summary.Description });
    return found;
  });
  if (changeSets.some((changeSet) => changeSet.description?.startsWith(CHANGE_SET_DESCRIPTION_PREFIX)))
    return true;
  for (const changeSet of changeSets) {
    const template = await readTemplate(cfn, { stack: id, stage: "Original", changeSet: changeSet.id });
    if (registersCorsKeyPushdown(template)) return true;
  }
  return false;
}

/** The name templates must list to use the macro deployed by `stack`: its `MacroName` output, else parameter. */
export function macroNameOf(stack: Stack): string | undefined {
  const output = stack.Outputs?.find((candidate) => candidate.OutputKey === "MacroName")?.OutputValue;
  if (output) return output;
  return stack.Parameters?.find((parameter) => parameter.ParameterKey === "MacroName")?.ParameterValue;
}
