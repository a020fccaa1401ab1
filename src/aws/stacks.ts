import {
  DescribeStacksCommand,
  GetTemplateCommand,
  paginateListStacks,
  type Stack,
  type StackStatus,
  type TemplateStage,
} from "@aws-sdk/client-cloudformation";
import { parseTemplateText } from "../cfn-yaml";
import { errorMessage, type Json } from "../pushdown";
import { type CloudFormation, call } from "./client";
import { AwsCallError, isMissingStack } from "./errors";

/**
 * The largest template body read, in bytes. CloudFormation itself accepts 1 MB from S3, and SAM's expansion
 * of such a template (the processed stage) can grow several times over; 5 MiB leaves room for that while
 * keeping one body's parse under a second or two, whatever an endpoint sends.
 */
export const TEMPLATE_SIZE_LIMIT = 5 * 1024 * 1024;

/**
 * The stack called `name` (or with that id), or `undefined` when CloudFormation says there is none.
 *
 * @throws AwsCallError for any other failure, and when the answer lacks the stack's id or status
 */
export async function describeStack(cfn: CloudFormation, name: string): Promise<Stack | undefined> {
  let stacks: Stack[] | undefined;
  try {
    ({ Stacks: stacks } = await call(cfn, "DescribeStacks", () =>
      cfn.client.send(new DescribeStacksCommand({ StackName: name })),
    ));
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
  const stack = stacks?.[0];
  if (!stack?.StackId || !stack.StackStatus)
    throw unreadable(cfn, "DescribeStacks", `answered without the id and status of stack ${name}`);
  return stack;
}

/** A stack as ListStacks shows it. */
export interface StackSummary {
  /** The stack's id (ARN), so that a stack deleted and re-created under the same name is not mixed up. */
  readonly id: string;
  readonly name: string;
  readonly description: string | undefined;
}

// A deleted stack has no template any more; a stack in review only holds a change set, never executed.
const NOT_DEPLOYED: ReadonlySet<StackStatus | string> = new Set(["DELETE_COMPLETE", "REVIEW_IN_PROGRESS"]);

/**
 * Every deployed stack of the region (nested ones included), through the SDK's paginator.
 *
 * @param onPage told the running count after each page, for progress display
 */
export async function listDeployedStacks(
  cfn: CloudFormation,
  onPage: (count: number) => void = () => {},
): Promise<StackSummary[]> {
  return call(cfn, "ListStacks", async () => {
    const stacks: StackSummary[] = [];
    for await (const page of paginateListStacks({ client: cfn.client }, {})) {
      // An empty region answers with an empty list; no list at all is not an answer.
      if (page.StackSummaries === undefined)
        throw unreadable(cfn, "ListStacks", "answered without a list of stacks");
      for (const summary of page.StackSummaries) {
        if (!summary.StackName || NOT_DEPLOYED.has(summary.StackStatus ?? "")) continue;
        stacks.push({
          id: summary.StackId ?? summary.StackName,
          name: summary.StackName,
          description: summary.TemplateDescription,
        });
      }
      onPage(stacks.length);
    }
    return stacks;
  });
}

/** Which template to read: the stage, and for a stack in review, the change set holding it. */
export interface TemplateQuery {
  readonly stack: string;
  readonly stage: TemplateStage;
  readonly changeSet?: string;
}

/**
 * A stack's template, parsed the way the CLI parses a template file (same YAML reader, same alias limit),
 * after checking its size against {@link TEMPLATE_SIZE_LIMIT}.
 *
 * @throws AwsCallError of kind `unreadable` when the answer has no template body, an oversized one, or one
 *   that is neither JSON nor YAML CloudFormation can read; never an empty template in their place
 */
export async function readTemplate(cfn: CloudFormation, query: TemplateQuery): Promise<Json> {
  const { TemplateBody: body } = await call(cfn, "GetTemplate", () =>
    cfn.client.send(
      new GetTemplateCommand({
        StackName: query.stack,
        TemplateStage: query.stage,
        ...(query.changeSet === undefined ? {} : { ChangeSetName: query.changeSet }),
      }),
    ),
  );
  if (body === undefined || body.trim() === "")
    throw unreadable(cfn, "GetTemplate", `answered without a template body for ${query.stack}`);
  const bytes = Buffer.byteLength(body, "utf8");
  if (bytes > TEMPLATE_SIZE_LIMIT)
    throw unreadable(
      cfn,
      "GetTemplate",
      `answered with a ${bytes}-byte template for ${query.stack}, over the ${TEMPLATE_SIZE_LIMIT} bytes this tool reads`,
    );
  try {
    return parseTemplateText(body).value;
  } catch (error) {
    const reason = error instanceof RangeError ? "nested too deeply" : errorMessage(error);
    throw unreadable(
      cfn,
      "GetTemplate",
      `answered with a template for ${query.stack} that cannot be read: ${reason}`,
    );
  }
}

/** An `unreadable` error for an answer that arrived but does not hold what the call must return. */
export function unreadable(cfn: CloudFormation, operation: string, detail: string): AwsCallError {
  return new AwsCallError({
    kind: "unreadable",
    operation: `CloudFormation ${operation}`,
    endpoint: cfn.endpoint,
    detail,
  });
}
