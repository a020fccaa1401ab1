import { parseArgs } from "node:util";
import { type ClientOptions, type CloudFormation, openCloudFormation } from "../../aws/client";
import { AwsCallError } from "../../aws/errors";
import { MACRO_DESCRIPTION_PREFIX, macroNameOf } from "../../aws/macro-stack";
import { describeStack, listDeployedStacks, readTemplate, type StackSummary } from "../../aws/stacks";
import { keyedPreflights } from "../../processed/methods";
import { errorMessage } from "../../pushdown";
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
Exit status: 0 no finding, 1 at least one finding, 2 wrong arguments, no credentials or region, AWS
unreachable, or a stack that could not be read (the audit is then incomplete).
`;

/** Test seams for {@link auditCommand}. */
export interface AuditOptions extends ClientOptions {
  /** Whether standard error is a terminal, where progress is shown (default: asks the process). */
  readonly stderrIsTty?: boolean;
}

/** One preflight that requires an API key. */
export interface AuditFinding {
  readonly stack: string;
  readonly api: string;
  readonly path: string;
}

// GetTemplate is throttled per account; a few calls at a time keep --all fast without tripping it.
const CONCURRENCY = 4;
// Below this many stacks an audit takes a few seconds and a progress line would only flicker.
const PROGRESS_FROM = 10;

/**
 * `cors-key-pushdown audit`: finds deployed APIs whose CORS preflights require an API key.
 *
 * @param argv the arguments after `audit`
 * @returns the exit status: 0 none found, 1 some found, 2 usage or set-up error or an incomplete audit
 */
export async function auditCommand(argv: string[], io: CliIo, options: AuditOptions = {}): Promise<number> {
  const progress = new Progress(io, options.stderrIsTty ?? process.stderr.isTTY === true);
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
    const target = { region: values.region, profile: values.profile };
    const cfn = await openCloudFormation(target, io.env, options);
    const listed = values.all
      ? await listDeployedStacks(cfn, (count) => {
          if (count >= PROGRESS_FROM) progress.show(`Listing stacks: ${count}`);
        })
      : undefined;
    const stacks = listed ?? named.map((name) => ({ id: name, name, description: undefined }));
    return await audit(cfn, stacks, listed, io, progress);
  } catch (error) {
    progress.clear();
    if (error instanceof CliError && error.usage) {
      io.stderr(`cors-key-pushdown audit: ${error.message}\n\n${AUDIT_USAGE}`);
      return EXIT.unusable;
    }
    const incomplete =
      error instanceof AwsCallError && error.kind !== "setup" ? " The audit is incomplete." : "";
    io.stderr(`cors-key-pushdown audit: ${sentence(errorMessage(error))}${incomplete}\n`);
    return EXIT.unusable;
  }
}

async function audit(
  cfn: CloudFormation,
  stacks: readonly StackSummary[],
  listed: readonly StackSummary[] | undefined,
  io: CliIo,
  progress: Progress,
): Promise<number> {
  const showProgress = stacks.length >= PROGRESS_FROM;
  let done = 0;
  const results = await mapUntilFatal(stacks, CONCURRENCY, async (stack) => {
    const result = await auditStack(cfn, stack);
    done += 1;
    if (showProgress) progress.show(`Reading processed templates: ${done}/${stacks.length}`);
    return result;
  });
  progress.clear();
  const findings: AuditFinding[] = [];
  let unreadable = 0;
  results.forEach((result, index) => {
    if (result.ok) {
      findings.push(...result.findings);
      return;
    }
    unreadable += 1;
    io.stderr(
      `cors-key-pushdown audit: stack ${stacks[index]?.name}: could not read its processed template: ${errorMessage(result.error)}\n`,
    );
  });
  for (const finding of findings) io.stdout(`${finding.stack}\t${finding.api}\t${finding.path}\n`);
  const checked = stacks.length - unreadable;
  const where = `${checked} stack${checked === 1 ? "" : "s"} checked in ${cfn.region}`;
  if (findings.length > 0) {
    const advice = await macroAdvice(cfn, listed);
    io.stderr(`${findingsSummary(findings, where)} Browsers get 403 on these preflights: ${advice}\n`);
  } else if (unreadable === 0) {
    io.stderr(`No CORS preflight requires an API key (${where}).\n`);
  }
  if (unreadable > 0) {
    io.stderr(
      `The audit is incomplete: ${unreadable} of ${stacks.length} stack${stacks.length === 1 ? "" : "s"} could not be read` +
        `${findings.length === 0 && checked > 0 ? `; no finding in the ${checked} other${checked === 1 ? "" : "s"}` : ""}.\n`,
    );
    return EXIT.unusable;
  }
  return findings.length > 0 ? EXIT.problems : EXIT.ok;
}

type StackResult = { ok: true; findings: AuditFinding[] } | { ok: false; error: unknown };

async function auditStack(cfn: CloudFormation, stack: StackSummary): Promise<StackResult> {
  try {
    const template = await readTemplate(cfn, { stack: stack.id, stage: "Processed" });
    const seen = new Set<string>();
    const findings: AuditFinding[] = [];
    // One line per API and path: the Fn::If branches of one path are one preflight to the browser.
    for (const method of keyedPreflights(template)) {
      const key = `${method.api}\n${method.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({ stack: stack.name, api: method.api, path: method.path });
    }
    return { ok: true, findings };
  } catch (error) {
    if (isFatal(error)) throw error;
    return { ok: false, error };
  }
}

// Without credentials or a region, or with an endpoint that does not answer, no other stack can be read
// either: the audit stops and reports the cause once, instead of once per stack after a timeout each.
function isFatal(error: unknown): boolean {
  return error instanceof AwsCallError && (error.kind === "setup" || error.kind === "unreachable");
}

function findingsSummary(findings: readonly AuditFinding[], where: string): string {
  const apis = new Set(findings.map((finding) => `${finding.stack}\n${finding.api}`)).size;
  const stacks = new Set(findings.map((finding) => finding.stack)).size;
  return (
    `${findings.length} CORS preflight${findings.length === 1 ? "" : "s"} requiring an API key, in ${apis} API${apis === 1 ? "" : "s"} ` +
    `of ${stacks} stack${stacks === 1 ? "" : "s"} (${where}).`
  );
}

/**
 * What to do about the findings, naming the macro as deployed in this account and region: its stacks are
 * found by their description, and the name is the one they registered (`--macro-name` may have changed it).
 * Finding it is a courtesy: when it fails, the advice falls back to the default name.
 */
async function macroAdvice(
  cfn: CloudFormation,
  listed: readonly StackSummary[] | undefined,
): Promise<string> {
  const names = new Set<string>();
  let looked = false;
  try {
    const stacks = listed ?? (await listDeployedStacks(cfn));
    for (const summary of stacks) {
      if (!summary.description?.startsWith(MACRO_DESCRIPTION_PREFIX)) continue;
      const stack = await describeStack(cfn, summary.id);
      const name = stack && macroNameOf(stack);
      if (name) names.add(`${name} (stack ${summary.name})`);
    }
    looked = true;
  } catch {
    looked = false;
  }
  const transform = "before AWS::Serverless-2016-10-31 in those templates' Transform and redeploy.";
  if (names.size === 1) return `list the macro ${[...names][0]} ${transform}`;
  if (names.size > 1) return `list one of the macros ${[...names].join(", ")} ${transform}`;
  if (looked)
    return (
      `no CorsKeyPushdown macro is deployed in ${cfn.region}: deploy it (cors-key-pushdown deploy --region ${cfn.region}), ` +
      `then list CorsKeyPushdown ${transform}`
    );
  return `list CorsKeyPushdown (or the name you deployed the macro under) ${transform}`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * `map` with at most `limit` calls in flight, results in input order. The first rejection stops new calls
 * from starting and is rethrown once those in flight have settled.
 */
async function mapUntilFatal<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let fatal: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && fatal === undefined) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error) {
        fatal ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (fatal) throw fatal.error;
  return results;
}

/** One line of progress on standard error, rewritten in place; only on a terminal, so logs stay clean. */
class Progress {
  private shown = false;

  public constructor(
    private readonly io: CliIo,
    private readonly enabled: boolean,
  ) {}

  public show(text: string): void {
    if (!this.enabled) return;
    this.io.stderr(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  public clear(): void {
    if (!this.shown) return;
    this.io.stderr("\r\x1b[2K");
    this.shown = false;
  }
}
