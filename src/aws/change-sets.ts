import {
  type Capability,
  type Change,
  type ChangeSetType,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  ExecuteChangeSetCommand,
  type Parameter,
  paginateDescribeChangeSet,
  type Tag,
  waitForChangeSetCreateComplete,
} from "@aws-sdk/client-cloudformation";
import { type CloudFormation, call } from "./client";
import { AwsCallError, isMissingStack, toAwsCallError } from "./errors";
import { unreadable } from "./stacks";

/** What to propose to CloudFormation. */
export interface ChangeSetRequest {
  readonly stackName: string;
  /** `CREATE` for a stack that does not exist yet (or only holds change sets), `UPDATE` otherwise. */
  readonly type: ChangeSetType;
  readonly templateBody: string;
  readonly parameters: Parameter[];
  /** Stack tags; `undefined` leaves an existing stack's tags as they are. */
  readonly tags: Tag[] | undefined;
  readonly capabilities: Capability[];
  readonly description: string;
}

/** How patiently to wait for CloudFormation (seconds, as the SDK's waiters count). */
export interface WaitSettings {
  /** First delay between two status checks; the waiter backs off from there up to `maxDelay`. */
  readonly minDelay: number;
  readonly maxDelay: number;
  /** When to give up waiting (CloudFormation carries on regardless). */
  readonly maxWaitTime: number;
}

/** A change set CloudFormation has worked out. */
export interface ChangeSet {
  /** The change set's ARN; its name when CloudFormation refused to create one because nothing would change. */
  readonly id: string;
  /** The stack's ARN, known once CloudFormation accepted the change set. */
  readonly stackId: string | undefined;
  readonly name: string;
  /** `ready` to execute; `empty` when nothing would change; `failed` when CloudFormation refused it. */
  readonly state: "ready" | "empty" | "failed";
  readonly reason: string | undefined;
  readonly changes: Change[];
}

// CloudFormation's ways of saying a change set would change nothing: a failed change set with the first
// reason, or (some emulators, and UpdateStack) a ValidationError with the second.
const NOTHING_TO_CHANGE = /didn't contain changes|No updates are to be performed/i;

/**
 * Creates a change set and waits (with the SDK's waiter) until CloudFormation has worked it out.
 *
 * @throws AwsCallError when a call fails, or when the change set is still pending after `wait.maxWaitTime`
 */
export async function createChangeSet(
  cfn: CloudFormation,
  request: ChangeSetRequest,
  wait: WaitSettings,
): Promise<ChangeSet> {
  const name = `cors-key-pushdown-${Date.now()}`;
  let id: string | undefined;
  let stackId: string | undefined;
  try {
    ({ Id: id, StackId: stackId } = await call(cfn, "CreateChangeSet", () =>
      cfn.client.send(
        new CreateChangeSetCommand({
          StackName: request.stackName,
          ChangeSetName: name,
          ChangeSetType: request.type,
          TemplateBody: request.templateBody,
          Parameters: request.parameters,
          Capabilities: request.capabilities,
          Description: request.description,
          ...(request.tags === undefined ? {} : { Tags: request.tags }),
        }),
      ),
    ));
  } catch (error) {
    if (error instanceof AwsCallError && error.kind === "refused" && NOTHING_TO_CHANGE.test(error.detail))
      return { id: name, stackId: undefined, name, state: "empty", reason: error.detail, changes: [] };
    throw error;
  }
  if (!id) throw unreadable(cfn, "CreateChangeSet", "answered without the change set's id");
  const changeSetId = id;
  const result = await call(cfn, "DescribeChangeSet", () =>
    waitForChangeSetCreateComplete(
      { client: cfn.client, ...wait },
      { StackName: request.stackName, ChangeSetName: changeSetId },
    ),
  );
  // The waiter's states are a string enum of @smithy/core, which is not a dependency of this package.
  const state: string = result.state;
  if (state === "SUCCESS")
    return {
      id: changeSetId,
      stackId,
      name,
      state: "ready",
      reason: undefined,
      changes: await changesOf(cfn, changeSetId),
    };
  if (state === "FAILURE") {
    // The waiter fails on a FAILED change set (reason: its description) or on a ValidationError (reason: the error).
    if (result.reason instanceof Error)
      throw toAwsCallError(result.reason, "CloudFormation DescribeChangeSet", cfn);
    const reason = (result.reason as DescribeChangeSetCommandOutput | undefined)?.StatusReason;
    return {
      id: changeSetId,
      stackId,
      name,
      state: reason !== undefined && NOTHING_TO_CHANGE.test(reason) ? "empty" : "failed",
      reason,
      changes: [],
    };
  }
  throw new AwsCallError({
    kind: "failed",
    operation: "CloudFormation DescribeChangeSet",
    endpoint: cfn.endpoint,
    detail: `change set ${name} was not ready after ${wait.maxWaitTime} s${lastAnswer(result.observedResponses)}`,
  });
}

/** The waiter's record of what it saw, as "; last answer: ..." (its keys are in the order first seen). */
export function lastAnswer(observed: Record<string, number> | undefined): string {
  const answers = Object.keys(observed ?? {});
  const last = answers[answers.length - 1];
  return last === undefined ? "" : `; last answer: ${last.slice(0, 200)}`;
}

async function changesOf(cfn: CloudFormation, changeSetId: string): Promise<Change[]> {
  return call(cfn, "DescribeChangeSet", async () => {
    const changes: Change[] = [];
    for await (const page of paginateDescribeChangeSet(
      { client: cfn.client },
      { ChangeSetName: changeSetId },
    ))
      changes.push(...(page.Changes ?? []));
    return changes;
  });
}

/** Starts the change set; CloudFormation then works on the stack, which the caller waits for. */
export async function executeChangeSet(
  cfn: CloudFormation,
  stackName: string,
  changeSetId: string,
): Promise<void> {
  await call(cfn, "ExecuteChangeSet", () =>
    cfn.client.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId })),
  );
}

/** Deletes a change set that will not be executed (an empty one), so it does not pile up on the stack. */
export async function deleteChangeSet(
  cfn: CloudFormation,
  stackName: string,
  changeSetId: string,
): Promise<void> {
  try {
    await call(cfn, "DeleteChangeSet", () =>
      cfn.client.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId })),
    );
  } catch (error) {
    if (!isMissingStack(error)) throw error;
  }
}
