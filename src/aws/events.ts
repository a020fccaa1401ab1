import { setTimeout as sleep } from "node:timers/promises";
import {
  DescribeStackEventsCommand,
  paginateDescribeStackEvents,
  type Stack,
  type StackEvent,
  waitForStackCreateComplete,
  waitForStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import type { WaitSettings } from "./change-sets";
import { lastAnswer } from "./change-sets";
import { type CloudFormation, call } from "./client";
import { AwsCallError } from "./errors";
import { describeStack } from "./stacks";

/** The newest event of a stack: the events after it belong to the operation about to start. */
export async function newestEventId(cfn: CloudFormation, stackId: string): Promise<string | undefined> {
  const { StackEvents: events } = await call(cfn, "DescribeStackEvents", () =>
    cfn.client.send(new DescribeStackEventsCommand({ StackName: stackId })),
  );
  return events?.[0]?.EventId;
}

/**
 * The events of one stack operation, read as they come. CloudFormation lists events newest first, so each
 * read pages back only until an event already seen (or the one before the operation started).
 */
class EventFeed {
  private readonly seen = new Set<string>();
  /** Every event read so far, oldest first. */
  public readonly events: StackEvent[] = [];

  public constructor(
    private readonly cfn: CloudFormation,
    private readonly stackId: string,
    private readonly before: string | undefined,
  ) {}

  /** The events that appeared since the last read, oldest first. */
  public async read(): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    await call(this.cfn, "DescribeStackEvents", async () => {
      scan: for await (const page of paginateDescribeStackEvents(
        { client: this.cfn.client },
        { StackName: this.stackId },
      )) {
        for (const event of page.StackEvents ?? []) {
          const id = event.EventId ?? "";
          if (id === this.before || this.seen.has(id)) break scan;
          fresh.push(event);
        }
      }
    });
    fresh.reverse();
    for (const event of fresh) this.seen.add(event.EventId ?? "");
    this.events.push(...fresh);
    return fresh;
  }
}

/** How a stack operation ended, as far as waiting could tell. */
export interface StackOperationResult {
  /** `complete`: CREATE_COMPLETE or UPDATE_COMPLETE; `failed`: any other end; `timeout`: still working. */
  readonly outcome: "complete" | "failed" | "timeout";
  /** The stack as it is after the wait. */
  readonly stack: Stack;
  /** The operation's events, oldest first. */
  readonly events: StackEvent[];
}

/** What {@link waitForStackOperation} needs besides the stack. */
export interface OperationWatch {
  readonly stackId: string;
  /** The operation a change set started: creation of a new stack, or update of an existing one. */
  readonly operation: "CREATE" | "UPDATE";
  /** The newest event before the operation started ({@link newestEventId}). */
  readonly after: string | undefined;
  readonly wait: WaitSettings;
  /** Time between two reads of the events. */
  readonly eventPollMs: number;
  /** Called once per new event, oldest first, as they appear. */
  readonly onEvent: (event: StackEvent) => void;
}

/**
 * Waits for a stack operation with the SDK's waiter (`StackCreateComplete` or `StackUpdateComplete`), and
 * meanwhile reads the stack's events so they can be shown as they happen. If reading the events fails (the
 * endpoint stopped answering, say), the waiter is stopped too and the failure thrown: the waiter itself
 * would otherwise go on retrying until its time is up.
 *
 * @throws AwsCallError when a call fails, or when the stack disappeared while waiting
 */
export async function waitForStackOperation(
  cfn: CloudFormation,
  watch: OperationWatch,
): Promise<StackOperationResult> {
  const feed = new EventFeed(cfn, watch.stackId, watch.after);
  const stopWaiter = new AbortController();
  const stopFeed = new AbortController();
  let feedError: unknown;
  const waiter = watch.operation === "CREATE" ? waitForStackCreateComplete : waitForStackUpdateComplete;
  const waiting = waiter(
    { client: cfn.client, ...watch.wait, abortSignal: stopWaiter.signal },
    { StackName: watch.stackId },
  );
  const streaming = (async () => {
    while (!stopFeed.signal.aborted) {
      try {
        for (const event of await feed.read()) watch.onEvent(event);
      } catch (error) {
        feedError = error;
        stopWaiter.abort();
        return;
      }
      try {
        await sleep(watch.eventPollMs, undefined, { signal: stopFeed.signal });
      } catch {
        return;
      }
    }
  })();
  let result: Awaited<typeof waiting>;
  try {
    result = await waiting;
  } finally {
    stopFeed.abort();
    await streaming;
  }
  if (feedError !== undefined) throw feedError;
  // One last read, so the events that ended the operation come before the outcome.
  for (const event of await feed.read()) watch.onEvent(event);
  const stack = await describeStack(cfn, watch.stackId);
  if (!stack)
    throw new AwsCallError({
      kind: "refused",
      operation: "CloudFormation DescribeStacks",
      endpoint: cfn.endpoint,
      detail: `stack ${watch.stackId} does not exist any more (deleted while deploying?)`,
    });
  // The waiter only says when to look: the outcome is the stack's own status (a waiter that timed out on
  // failing reads, say, must not hide a stack that completed meanwhile).
  const status = stack.StackStatus ?? "";
  if (status === "CREATE_COMPLETE" || status === "UPDATE_COMPLETE")
    return { outcome: "complete", stack, events: feed.events };
  if (status.endsWith("_IN_PROGRESS")) {
    const state: string = result.state;
    if (state !== "TIMEOUT")
      throw new AwsCallError({
        kind: "failed",
        operation: "CloudFormation DescribeStacks",
        endpoint: cfn.endpoint,
        detail: `stack ${watch.stackId} is still ${status} but waiting ended (${state})${lastAnswer(result.observedResponses)}`,
      });
    return { outcome: "timeout", stack, events: feed.events };
  }
  return { outcome: "failed", stack, events: feed.events };
}

/**
 * What went wrong, in CloudFormation's words: the failed resources of the operation, earliest first (the first
 * failure is the cause; the cancellations it triggers are left out while there is a cause), then the stack's reason.
 */
export function failureReasons(events: readonly StackEvent[], stack: Stack): string[] {
  const failures = events.filter(
    (event) =>
      event.ResourceStatus?.endsWith("_FAILED") &&
      event.ResourceStatusReason &&
      event.ResourceType !== "AWS::CloudFormation::Stack",
  );
  const causes = failures.filter((event) => !/cancell?ed/i.test(event.ResourceStatusReason ?? ""));
  const shown = causes.length > 0 ? causes : failures;
  const reasons = shown.map(
    (event) => `${event.LogicalResourceId} (${event.ResourceType}): ${event.ResourceStatusReason}`,
  );
  if (stack.StackStatusReason) reasons.push(`stack: ${stack.StackStatusReason}`);
  return [...new Set(reasons)];
}
