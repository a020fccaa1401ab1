import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Change, Parameter, Stack, StackEvent, Tag } from "@aws-sdk/client-cloudformation";
import { version } from "../../../package.json";
import { createChangeSet, deleteChangeSet, executeChangeSet, type WaitSettings } from "../../aws/change-sets";
import { type ClientOptions, type CloudFormation, openCloudFormation } from "../../aws/client";
import { AwsCallError } from "../../aws/errors";
import { failureReasons, newestEventId, waitForStackOperation } from "../../aws/events";
import { CHANGE_SET_DESCRIPTION_PREFIX, isCorsKeyPushdownStack, macroNameOf } from "../../aws/macro-stack";
import { describeStack } from "../../aws/stacks";
import { errorMessage } from "../../pushdown";
import { strictArgs } from "../args";
import { CliError, EXIT, usageError } from "../errors";
import type { CliIo } from "../io";

export const DEPLOY_USAGE = `Usage: cors-key-pushdown deploy [options]

Creates or updates the CloudFormation stack that registers the CorsKeyPushdown macro in one account and
region, from the template bundled with this tool (macro.template.json, code inline, no S3 bucket needed).
It goes through a change set, prints what will change, then executes it and prints the stack's events as
they happen. It only ever updates a CorsKeyPushdown stack: any other stack of that name is left alone.

Options:
  --region <region>              region to deploy to (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)
  --stack-name <name>            stack to create or update (default: cors-key-pushdown)
  --macro-name <name>            name templates put in their Transform list (default: CorsKeyPushdown)
  --log-retention-days <days>    how long the macro's logs are kept (default: 30)
  --permissions-boundary <arn>   managed policy to set as the permissions boundary of the macro's role;
                                 "none" removes one set earlier
  --tags <key=value ...>         stack tags, repeatable; on update, given tags replace the stack's tags
  --no-execute-changeset         create and show the change set, do not execute it
  --profile <profile>            AWS profile to use (default: AWS_PROFILE, then the SDK's usual credential chain)
  -h, --help                     show this help

On update, parameters not given keep their current values, so a new version never renames the macro.

Exit status: 0 deployed, up to date, or change set created with --no-execute-changeset; 1 CloudFormation
refused the change set or rolled the deployment back; 2 wrong arguments, no credentials or region, AWS
unreachable or answering unusably, or a stack of that name that is not a CorsKeyPushdown stack.
`;

/** Test seams: where the template is, how requests are limited, and how patient to be. */
export interface DeployOptions extends ClientOptions {
  /** The plain CloudFormation template to deploy; by default `macro.template.json` next to the bundle. */
  readonly templatePath?: string;
  /** Time between two reads of the stack's events, and the waiters' first delay (default 5 s). */
  readonly pollMs?: number;
  /** How long to wait for the stack before giving up (default 30 min); CloudFormation carries on regardless. */
  readonly maxWaitMs?: number;
}

const DEFAULT_STACK_NAME = "cors-key-pushdown";
// CloudFormation's own rule for stack names; checked here so a typo fails before any AWS call.
const STACK_NAME = /^[A-Za-z][-A-Za-z0-9]{0,127}$/;
// Change sets of a four-resource template are worked out in seconds; ten minutes means something is wrong.
const CHANGE_SET_WAIT_MS = 10 * 60_000;
// Options that set a parameter of the template, by parameter name.
const PARAMETER_OPTIONS = {
  "macro-name": "MacroName",
  "log-retention-days": "LogRetentionInDays",
  "permissions-boundary": "PermissionsBoundary",
} as const;

/**
 * `cors-key-pushdown deploy`: creates or updates the macro's stack through a change set and waits for it.
 *
 * @param argv the arguments after `deploy`
 * @returns the exit status: 0 deployed or up to date, 1 refused or rolled back, 2 usage, set-up or AWS error
 */
export async function deployCommand(argv: string[], io: CliIo, options: DeployOptions = {}): Promise<number> {
  try {
    const { values } = strictArgs(() =>
      parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
          region: { type: "string" },
          "stack-name": { type: "string" },
          "macro-name": { type: "string" },
          "log-retention-days": { type: "string" },
          "permissions-boundary": { type: "string" },
          tags: { type: "string", multiple: true },
          "no-execute-changeset": { type: "boolean" },
          profile: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }),
    );
    if (values.help) {
      io.stdout(DEPLOY_USAGE);
      return EXIT.ok;
    }
    const target = { region: values.region, profile: values.profile };
    const stackName = values["stack-name"] ?? DEFAULT_STACK_NAME;
    if (!STACK_NAME.test(stackName))
      throw usageError(
        `--stack-name: expected a letter followed by letters, digits or hyphens (at most 128), got "${stackName}"`,
      );
    const template = await readTemplate(options.templatePath ?? join(__dirname, "macro.template.json"));
    const given = givenParameters(values, template);
    const tags = values.tags === undefined ? undefined : parseTags(values.tags);
    const cfn = await openCloudFormation(target, io.env, options);
    return await deploy(cfn, {
      stackName,
      template,
      given,
      tags,
      execute: values["no-execute-changeset"] !== true,
      io,
      pollMs: options.pollMs ?? 5_000,
      maxWaitMs: options.maxWaitMs ?? 30 * 60_000,
    });
  } catch (error) {
    if (error instanceof CliError && error.usage) {
      io.stderr(`cors-key-pushdown deploy: ${error.message}\n\n${DEPLOY_USAGE}`);
      return EXIT.unusable;
    }
    io.stderr(`cors-key-pushdown deploy: ${errorMessage(error)}\n`);
    if (error instanceof CliError) return error.exitCode;
    // CloudFormation saying no is the deployment's failure; everything else means it could not be tried.
    return error instanceof AwsCallError && error.kind === "refused" ? EXIT.problems : EXIT.unusable;
  }
}

interface TemplateParameter {
  readonly Default?: unknown;
  readonly AllowedPattern?: unknown;
  readonly AllowedValues?: unknown;
  readonly NoEcho?: unknown;
}

interface MacroTemplate {
  readonly path: string;
  readonly body: string;
  readonly parameters: Record<string, TemplateParameter>;
}

async function readTemplate(path: string): Promise<MacroTemplate> {
  let body: string;
  try {
    body = await readFile(path, "utf8");
  } catch (error) {
    // The bundled template is missing: the installation is broken, not the deployment.
    throw new CliError(
      `expected the macro template at ${path} (npm run build writes it next to dist/cli.js): ${errorMessage(error)}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new CliError(`${path}: expected a JSON CloudFormation template: ${errorMessage(error)}`);
  }
  const parameters = (parsed as { Parameters?: unknown } | null)?.Parameters;
  return {
    path,
    body,
    parameters:
      typeof parameters === "object" && parameters !== null
        ? (parameters as MacroTemplate["parameters"])
        : {},
  };
}

/**
 * The parameters given on the command line, checked against the template's own AllowedPattern and
 * AllowedValues, so a typo fails before any AWS call with the rule it broke.
 */
function givenParameters(values: Record<string, unknown>, template: MacroTemplate): Map<string, string> {
  const given = new Map<string, string>();
  for (const [option, key] of Object.entries(PARAMETER_OPTIONS)) {
    const raw = values[option];
    if (typeof raw !== "string") continue;
    const value = key === "PermissionsBoundary" && raw === "none" ? "" : raw;
    const rule = template.parameters[key];
    if (rule === undefined)
      throw new CliError(
        `--${option}: ${template.path} has no ${key} parameter; is the bundled template stale?`,
      );
    if (typeof rule.AllowedPattern === "string" && !new RegExp(rule.AllowedPattern).test(value))
      throw usageError(`--${option}: expected a value matching ${rule.AllowedPattern}, got "${raw}"`);
    if (Array.isArray(rule.AllowedValues) && !rule.AllowedValues.map(String).includes(value))
      throw usageError(`--${option}: expected one of ${rule.AllowedValues.join(", ")}, got "${raw}"`);
    given.set(key, value);
  }
  return given;
}

// As `sam deploy --tags`: "key=value" pairs, several per option separated by spaces, or the option repeated.
function parseTags(options: readonly string[]): Tag[] {
  const tags = new Map<string, string>();
  for (const pair of options.flatMap((option) => option.trim().split(/\s+/))) {
    const at = pair.indexOf("=");
    if (at <= 0) throw usageError(`--tags: expected key=value, got "${pair}"`);
    tags.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

interface Deployment {
  readonly stackName: string;
  readonly template: MacroTemplate;
  readonly given: ReadonlyMap<string, string>;
  readonly tags: Tag[] | undefined;
  readonly execute: boolean;
  readonly io: CliIo;
  readonly pollMs: number;
  readonly maxWaitMs: number;
}

async function deploy(cfn: CloudFormation, deployment: Deployment): Promise<number> {
  const { stackName, io } = deployment;
  const where = `stack ${stackName} in ${cfn.region}`;
  const existing = await describeStack(cfn, stackName);
  if (existing) {
    // Checked before anything else: even advice such as "delete it" must never be given about someone else's stack.
    if (!(await isCorsKeyPushdownStack(cfn, existing)))
      throw new CliError(
        `${where} is not a CorsKeyPushdown stack (its template registers no CorsKeyPushdown macro and its outputs ` +
          "name none), so deploy leaves it alone. Choose another --stack-name (the default is cors-key-pushdown).",
      );
    const blocked = whyNotUpdatable(existing, stackName);
    if (blocked) throw new CliError(blocked, { exitCode: EXIT.problems });
  }
  // A stack in review holds only change sets: it is created, not updated, by the one executed.
  const type = existing && existing.StackStatus !== "REVIEW_IN_PROGRESS" ? "UPDATE" : "CREATE";
  io.stdout(`${type === "CREATE" ? "Creating" : "Updating"} ${where} through a change set...\n`);
  const changeSet = await createChangeSet(
    cfn,
    {
      stackName,
      type,
      templateBody: deployment.template.body,
      parameters: parametersFor(deployment, type === "UPDATE" ? existing : undefined),
      tags: deployment.tags,
      capabilities: ["CAPABILITY_IAM"],
      description: `${CHANGE_SET_DESCRIPTION_PREFIX} ${version}`,
    },
    waitSettings(deployment, CHANGE_SET_WAIT_MS),
  );
  if (changeSet.state === "empty") {
    if (changeSet.stackId !== undefined) await deleteChangeSet(cfn, stackName, changeSet.id);
    io.stdout(`${capitalised(where)} is up to date; nothing to do.\n`);
    if (existing) printMacro(io, existing);
    return EXIT.ok;
  }
  if (changeSet.state === "failed") {
    io.stderr(
      `cors-key-pushdown deploy: CloudFormation refused change set ${changeSet.name} for ${where}: ` +
        `${changeSet.reason ?? "(no reason given)"}\n`,
    );
    return EXIT.problems;
  }
  io.stdout(changeTable(changeSet.changes));
  if (!deployment.execute) {
    io.stdout(
      `Change set ${changeSet.name} created and not executed (--no-execute-changeset). To execute it:\n` +
        `  aws cloudformation execute-change-set --region ${cfn.region} --change-set-name ${changeSet.id}\n`,
    );
    return EXIT.ok;
  }
  const stackId = changeSet.stackId ?? existing?.StackId ?? stackName;
  const after = await newestEventId(cfn, stackId);
  await executeChangeSet(cfn, stackName, changeSet.id);
  io.stdout(
    `\nCloudFormation events (refreshed every ${deployment.pollMs / 1000} s):\n${eventLine(EVENT_HEADER)}`,
  );
  const result = await waitForStackOperation(cfn, {
    stackId,
    operation: type,
    after,
    wait: waitSettings(deployment, deployment.maxWaitMs),
    eventPollMs: deployment.pollMs,
    onEvent: (event) => io.stdout(eventLine(event)),
  });
  const status = result.stack.StackStatus ?? "(unknown status)";
  if (result.outcome === "complete") {
    io.stdout(`\n${capitalised(where)}: ${status}.\n`);
    printMacro(io, result.stack);
    return EXIT.ok;
  }
  if (result.outcome === "timeout") {
    io.stderr(
      `cors-key-pushdown deploy: ${where} is still ${status} after ${Math.round(deployment.maxWaitMs / 1000)} s; ` +
        "CloudFormation carries on without us: follow it in the console or with aws cloudformation describe-stack-events\n",
    );
    return EXIT.problems;
  }
  const reasons = failureReasons(result.events, result.stack);
  io.stderr(
    `cors-key-pushdown deploy: ${where} ended in ${status}.\n` +
      (reasons.length > 0
        ? reasons.map((reason) => `  ${reason}\n`).join("")
        : "  (CloudFormation gave no reason)\n"),
  );
  return EXIT.problems;
}

function waitSettings(deployment: Deployment, maxWaitMs: number): WaitSettings {
  const minDelay = deployment.pollMs / 1000;
  return { minDelay, maxDelay: minDelay * 3, maxWaitTime: Math.max(maxWaitMs / 1000, minDelay * 2) };
}

function whyNotUpdatable(stack: Stack, stackName: string): string | undefined {
  const status = stack.StackStatus ?? "";
  if (status === "ROLLBACK_COMPLETE" || status === "ROLLBACK_FAILED" || status === "CREATE_FAILED")
    return (
      `stack ${stackName} is in ${status}: its creation failed and CloudFormation cannot update it. ` +
      `Delete it (aws cloudformation delete-stack --stack-name ${stackName}) and deploy again.` +
      (stack.StackStatusReason ? ` Earlier reason: ${stack.StackStatusReason}` : "")
    );
  if (status === "UPDATE_ROLLBACK_FAILED")
    return (
      `stack ${stackName} is in UPDATE_ROLLBACK_FAILED: CloudFormation could not undo its last update. ` +
      `Fix the cause, run aws cloudformation continue-update-rollback --stack-name ${stackName}, then deploy again.`
    );
  if (status.endsWith("_IN_PROGRESS") && status !== "REVIEW_IN_PROGRESS")
    return `stack ${stackName} is busy (${status}); wait until CloudFormation finishes, then deploy again.`;
  return undefined;
}

// On update, a parameter not given on the command line keeps its current value: redeploying a new version
// must not rename the macro (and break every template using it) or reset the log retention. The current
// value is passed as such rather than as UsePreviousValue, which some emulators (moto) honour only for
// parameters given at creation; masked (NoEcho) values can only be kept the other way. A parameter the
// stack does not have yet (added by a newer version) takes the template's default. On creation every
// parameter is given, defaults included, so the change set shows all the values the stack starts with.
function parametersFor(deployment: Deployment, existing: Stack | undefined): Parameter[] {
  const current = new Map(
    (existing?.Parameters ?? []).map((parameter) => [parameter.ParameterKey, parameter.ParameterValue]),
  );
  const parameters: Parameter[] = [];
  for (const [key, rule] of Object.entries(deployment.template.parameters)) {
    const given = deployment.given.get(key);
    const value = existing ? current.get(key) : defaultOf(rule);
    if (given !== undefined) parameters.push({ ParameterKey: key, ParameterValue: given });
    else if (value === "****") parameters.push({ ParameterKey: key, UsePreviousValue: true });
    else if (value !== undefined) parameters.push({ ParameterKey: key, ParameterValue: value });
  }
  return parameters;
}

function defaultOf(rule: TemplateParameter): string | undefined {
  return rule.Default === undefined ? undefined : String(rule.Default);
}

const CHANGE_SYMBOLS: Record<string, string> = {
  Add: "+",
  Modify: "*",
  Remove: "-",
  Import: "<",
  Dynamic: "?",
};

/** The change set as `sam deploy` shows it: one line per resource, with whether it is replaced. */
function changeTable(changes: readonly Change[]): string {
  const rows = changes
    .filter((change) => change.ResourceChange)
    .map((change) => {
      const resource = change.ResourceChange ?? {};
      const action = resource.Action ?? "?";
      return [
        `${CHANGE_SYMBOLS[action] ?? "?"} ${action}`,
        resource.LogicalResourceId ?? "",
        resource.ResourceType ?? "",
        resource.Replacement ?? "N/A",
      ];
    });
  const lines = ["CloudFormation change set:"];
  if (rows.length === 0) lines.push("  (no resource changes: parameters, outputs or tags only)");
  else lines.push(...table([["Operation", "LogicalResourceId", "ResourceType", "Replacement"], ...rows]));
  return `${lines.join("\n")}\n`;
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd(),
  );
}

const EVENT_HEADER = "header";

/** One event on one line: status, type, logical id and reason, in columns wide enough for the macro's stack. */
function eventLine(event: StackEvent | typeof EVENT_HEADER): string {
  const cells =
    event === EVENT_HEADER
      ? ["ResourceStatus", "ResourceType", "LogicalResourceId", "ResourceStatusReason"]
      : [
          event.ResourceStatus ?? "",
          event.ResourceType ?? "",
          event.LogicalResourceId ?? "",
          (event.ResourceStatusReason ?? "-").replace(/\s+/g, " "),
        ];
  const [status = "", type = "", id = "", reason = ""] = cells;
  return `  ${status.padEnd(36)} ${type.padEnd(27)} ${id.padEnd(18)} ${reason}`.trimEnd().concat("\n");
}

function printMacro(io: CliIo, stack: Stack): void {
  const name = macroNameOf(stack);
  if (!name) return;
  const functionArn = stack.Outputs?.find((output) => output.OutputKey === "MacroFunctionArn")?.OutputValue;
  io.stdout(
    `Macro: ${name}${functionArn ? ` (function ${functionArn})` : ""}\n` +
      `Use it with: Transform: [${name}, AWS::Serverless-2016-10-31]\n`,
  );
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
