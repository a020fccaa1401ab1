import { parseArgs } from "node:util";
import {
  type CloudFormationClient,
  GetTemplateCommand,
  paginateListStacks,
  type StackStatus,
} from "@aws-sdk/client-cloudformation";
import {
  type AwsTarget,
  cloudFormationClient,
  describeAwsError,
  isSetupError,
  regionOf,
} from "../../aws/client";
import { parseTemplateText } from "../../cfn-yaml";
import { keyedPreflights } from "../../processed/methods";
import { strictArgs } from "../args";
import { CliError, EXIT, usageError } from "../errors";
import type { CliIo } from "../io";

export const AUDIT_USAGE = `Usage: cors-key-pushdown audit [options] (--stack-name <name> ... | --all)

Reads the processed templates of deployed stacks (what CloudFormation deployed after SAM ran) and lists
every REST API whose CORS preflight (OPTIONS with a mock integration) requires an API key, which browsers
never send on a preflight, so those APIs answer 403 and the real request is never made.

Options:
  --stack-name <name>    stack to check (name or ARN); repeat for several
  --all                  check every stack in the region (deleted stacks and pending change sets skipped)
  --region <region>      region to read (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)
  --profile <profile>    AWS profile to use (default: AWS_PROFILE, then the SDK's usual credential chain)
  -h, --help             show this help

Output: one line per finding on standard output, "<stack>\\t<API logical id>\\t<path>"; the summary and any
errors go to standard error.
Exit status: 0 no finding, 1 at least one finding, 2 wrong arguments, no credentials or region, or a stack
that could not be read (the audit is then incomplete).
`;

/** Test seams for {@link auditCommand}. */
export interface AuditOptions {
  /** A ready client, instead of one built from the arguments and `io.env`. */
  readonly client?: CloudFormationClient;
}

/** One preflight that requires an API key. */
export interface AuditFinding {
  readonly stack: string;
  readonly api: string;
  readonly path: string;
}

// GetTemplate is throttled per account; a few calls at a time keep --all fast without tripping it.
const CONCURRENCY = 4;
const SKIPPED: ReadonlySet<StackStatus | string> = new Set(["DELETE_COMPLETE", "REVIEW_IN_PROGRESS"]);

/**
 * `cors-key-pushdown audit`: finds deployed APIs whose CORS preflights require an API key.
 *
 * @param argv the arguments after `audit`
 * @returns the exit status: 0 none found, 1 some found, 2 usage or set-up error or an incomplete audit
 */
export async function auditCommand(argv: string[], io: CliIo, options: AuditOptions = {}): Promise<number> {
  let target: AwsTarget = { region: undefined, profile: undefined };
  try {
    const { values } = strictArgs(() =>
      parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
          "stack-name": { type: "string", multiple: true },
          all: { type: "boolean" },
          region: { type: "string" },
          profile: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }),
    );
    if (values.help) {
      io.stdout(AUDIT_USAGE);
      return EXIT.ok;
    }
    const named = values["stack-name"] ?? [];
    if (values.all && named.length > 0) throw usageError("expected either --stack-name or --all, not both");
    if (!values.all && named.length === 0) throw usageError("expected --stack-name <name> or --all");
    target = { region: values.region, profile: values.profile };
    const client = options.client ?? cloudFormationClient(target, io);
    const stacks = values.all ? await listStacks(client) : named.map((name) => ({ id: name, name }));
    return await audit(client, stacks, io, target);
  } catch (error) {
    if (error instanceof CliError && error.usage) {
      io.stderr(`cors-key-pushdown audit: ${error.message}\n\n${AUDIT_USAGE}`);
      return EXIT.unusable;
    }
    io.stderr(`cors-key-pushdown audit: ${describeAwsError(error, target, io)}\n`);
    return EXIT.unusable;
  }
}

interface StackRef {
  /** What GetTemplate is asked for: the stack id when known, so a re-created stack of the same name is not mixed up. */
  readonly id: string;
  readonly name: string;
}

async function listStacks(client: CloudFormationClient): Promise<StackRef[]> {
  const stacks: StackRef[] = [];
  for await (const page of paginateListStacks({ client }, {})) {
    for (const summary of page.StackSummaries ?? []) {
      if (!summary.StackName || SKIPPED.has(summary.StackStatus ?? "")) continue;
      stacks.push({ id: summary.StackId ?? summary.StackName, name: summary.StackName });
    }
  }
  return stacks;
}

async function audit(
  client: CloudFormationClient,
  stacks: StackRef[],
  io: CliIo,
  target: AwsTarget,
): Promise<number> {
  const region = await regionOf(client);
  const results = await mapLimited(stacks, CONCURRENCY, (stack) => auditStack(client, stack));
  const findings: AuditFinding[] = [];
  let unreadable = 0;
  results.forEach((result, index) => {
    if (result.ok) {
      findings.push(...result.findings);
      return;
    }
    // Without credentials or a region no other stack can be read either: report it once, as the cause.
    if (isSetupError(result.error)) throw result.error;
    unreadable += 1;
    io.stderr(
      `cors-key-pushdown audit: stack ${stacks[index]?.name}: could not read its processed template: ${describeAwsError(result.error, target, io)}\n`,
    );
  });
  for (const finding of findings) io.stdout(`${finding.stack}\t${finding.api}\t${finding.path}\n`);
  io.stderr(`${summary(findings, stacks.length - unreadable, region)}\n`);
  if (unreadable > 0) {
    io.stderr(`Audit incomplete: ${unreadable} stack(s) could not be read.\n`);
    return EXIT.unusable;
  }
  return findings.length > 0 ? EXIT.problems : EXIT.ok;
}

type StackResult = { ok: true; findings: AuditFinding[] } | { ok: false; error: unknown };

async function auditStack(client: CloudFormationClient, stack: StackRef): Promise<StackResult> {
  try {
    const { TemplateBody } = await client.send(
      new GetTemplateCommand({ StackName: stack.id, TemplateStage: "Processed" }),
    );
    if (TemplateBody === undefined) return { ok: true, findings: [] };
    const { value } = parseTemplateText(TemplateBody);
    const seen = new Set<string>();
    const findings: AuditFinding[] = [];
    // One line per API and path: the Fn::If branches of one path are one preflight to the browser.
    for (const method of keyedPreflights(value)) {
      const key = `${method.api}\n${method.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({ stack: stack.name, api: method.api, path: method.path });
    }
    return { ok: true, findings };
  } catch (error) {
    return { ok: false, error };
  }
}

function summary(findings: AuditFinding[], checked: number, region: string): string {
  const stacksChecked = `${checked} stack${checked === 1 ? "" : "s"} checked in ${region}`;
  if (findings.length === 0) return `No CORS preflight requires an API key (${stacksChecked}).`;
  const apis = new Set(findings.map((finding) => `${finding.stack}\n${finding.api}`)).size;
  const stacks = new Set(findings.map((finding) => finding.stack)).size;
  return (
    `${findings.length} CORS preflight${findings.length === 1 ? "" : "s"} requiring an API key, in ${apis} API${apis === 1 ? "" : "s"} ` +
    `of ${stacks} stack${stacks === 1 ? "" : "s"} (${stacksChecked}). Browsers get 403 on these preflights: ` +
    "list CorsKeyPushdown before AWS::Serverless-2016-10-31 in those templates' Transform and redeploy."
  );
}

/** `map` with at most `limit` calls in flight, results in input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
