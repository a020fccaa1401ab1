import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Parameter,
  type Stack,
  type StackEvent,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import {
  type AwsTarget,
  cloudFormationClient,
  describeAwsError,
  isSetupError,
  regionOf,
} from "../../aws/client";
import { strictArgs } from "../args";
import { CliError, EXIT, usageError } from "../errors";
import type { CliIo } from "../io";

export const DEPLOY_USAGE = `Usage: cors-key-pushdown deploy [options]

Creates or updates the CloudFormation stack that registers the CorsKeyPushdown macro in one account and
region, from the template bundled with this tool (macro.template.json, code inline, no S3 bucket needed).

Options:
  --region <region>      region to deploy to (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)
  --stack-name <name>    stack to create or update (default: cors-key-pushdown)
  --macro-name <name>    name templates put in their Transform list (default: CorsKeyPushdown on
                         creation; on update, the stack's current name is kept)
  --profile <profile>    AWS profile to use (default: AWS_PROFILE, then the SDK's usual credential chain)
  -h, --help             show this help

Exit status: 0 deployed or already up to date, 1 CloudFormation refused or rolled back the deployment,
2 wrong arguments, no credentials, no region or AWS unreachable.
`;

/** Test seams: where the template is, and how patient to be. */
export interface DeployOptions {
  /** The plain CloudFormation template to deploy; by default `macro.template.json` next to the bundle. */
  readonly templatePath?: string;
  /** A ready client, instead of one built from the arguments and `io.env`. */
  readonly client?: CloudFormationClient;
  /** Time between two status checks while CloudFormation works (default 5 s). */
  readonly pollIntervalMs?: number;
  /** How long to wait for CloudFormation before giving up (default 30 min). */
  readonly timeoutMs?: number;
}

const DEFAULT_STACK_NAME = "cors-key-pushdown";
// CloudFormation's own rule for stack names; checked here so a typo fails before any AWS call.
const STACK_NAME = /^[A-Za-z][-A-Za-z0-9]{0,127}$/;

/**
 * `cors-key-pushdown deploy`: creates or updates the macro's stack and waits for CloudFormation to finish.
 *
 * @param argv the arguments after `deploy`
 * @returns the exit status: 0 deployed or up to date, 1 deployment failed, 2 usage or set-up error
 */
export async function deployCommand(argv: string[], io: CliIo, options: DeployOptions = {}): Promise<number> {
  let target: AwsTarget = { region: undefined, profile: undefined };
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
          profile: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }),
    );
    if (values.help) {
      io.stdout(DEPLOY_USAGE);
      return EXIT.ok;
    }
    target = { region: values.region, profile: values.profile };
    const stackName = values["stack-name"] ?? DEFAULT_STACK_NAME;
    if (!STACK_NAME.test(stackName))
      throw usageError(
        `--stack-name: expected a letter followed by letters, digits or hyphens (at most 128), got "${stackName}"`,
      );
    const templatePath = options.templatePath ?? join(__dirname, "macro.template.json");
    const template = await readTemplate(templatePath);
    const macroName = values["macro-name"];
    if (macroName !== undefined) checkMacroName(macroName, template);
    const client = options.client ?? cloudFormationClient(target, io);
    return await deploy(client, { stackName, macroName, template, io, options });
  } catch (error) {
    if (error instanceof CliError && error.usage) {
      io.stderr(`cors-key-pushdown deploy: ${error.message}\n\n${DEPLOY_USAGE}`);
      return EXIT.unusable;
    }
    if (error instanceof TemplateFileError) {
      io.stderr(`cors-key-pushdown deploy: ${error.message}\n`);
      return EXIT.unusable;
    }
    io.stderr(`cors-key-pushdown deploy: ${describeAwsError(error, target, io)}\n`);
    return isSetupError(error) ? EXIT.unusable : EXIT.problems;
  }
}

/** The bundled template is missing or unreadable: the installation is broken, not the deployment. */
class TemplateFileError extends Error {
  public override readonly name = "TemplateFileError";
}

interface MacroTemplate {
  readonly body: string;
  readonly parameters: Record<string, { AllowedPattern?: unknown; Default?: unknown }>;
}

async function readTemplate(path: string): Promise<MacroTemplate> {
  let body: string;
  try {
    body = await readFile(path, "utf8");
  } catch (error) {
    throw new TemplateFileError(
      `expected the macro template at ${path} (npm run build writes it next to dist/cli.js): ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new TemplateFileError(
      `${path}: expected a JSON CloudFormation template: ${(error as Error).message}`,
    );
  }
  const parameters = (parsed as { Parameters?: unknown } | null)?.Parameters;
  return {
    body,
    parameters:
      typeof parameters === "object" && parameters !== null
        ? (parameters as MacroTemplate["parameters"])
        : {},
  };
}

// The template's own AllowedPattern is the rule; checking it here gives the message before a round trip.
function checkMacroName(name: string, template: MacroTemplate): void {
  const pattern = template.parameters.MacroName?.AllowedPattern;
  if (typeof pattern === "string" && !new RegExp(pattern).test(name))
    throw usageError(`--macro-name: expected a name matching ${pattern}, got "${name}"`);
}

interface Deployment {
  readonly stackName: string;
  readonly macroName: string | undefined;
  readonly template: MacroTemplate;
  readonly io: CliIo;
  readonly options: DeployOptions;
}

async function deploy(client: CloudFormationClient, deployment: Deployment): Promise<number> {
  const { stackName, io } = deployment;
  const region = await regionOf(client);
  const existing = await findStack(client, stackName);
  const blocked = existing ? whyNotUpdatable(existing, stackName) : undefined;
  if (blocked) {
    io.stderr(`cors-key-pushdown deploy: ${blocked}\n`);
    return EXIT.problems;
  }
  const capabilities = ["CAPABILITY_IAM" as const];
  if (existing) {
    io.stdout(`Updating stack ${stackName} in ${region}...\n`);
    try {
      await client.send(
        new UpdateStackCommand({
          StackName: stackName,
          TemplateBody: deployment.template.body,
          Capabilities: capabilities,
          Parameters: updateParameters(deployment, existing),
        }),
      );
    } catch (error) {
      if (error instanceof Error && /No updates are to be performed/i.test(error.message)) {
        io.stdout(`Stack ${stackName} in ${region} is up to date; nothing to do.\n`);
        printMacro(io, existing);
        return EXIT.ok;
      }
      throw error;
    }
  } else {
    io.stdout(`Creating stack ${stackName} in ${region}...\n`);
    await client.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: deployment.template.body,
        Capabilities: capabilities,
        Parameters:
          deployment.macroName === undefined
            ? []
            : [{ ParameterKey: "MacroName", ParameterValue: deployment.macroName }],
      }),
    );
  }
  const final = await waitForStack(client, stackName, deployment.options);
  const status = final.StackStatus ?? "(unknown status)";
  if (status === "CREATE_COMPLETE" || status === "UPDATE_COMPLETE") {
    io.stdout(`Stack ${stackName} in ${region}: ${status}.\n`);
    printMacro(io, final);
    return EXIT.ok;
  }
  if (status.endsWith("_IN_PROGRESS")) {
    io.stderr(
      `cors-key-pushdown deploy: stack ${stackName} is still ${status} after ${Math.round(timeoutOf(deployment.options) / 1000)} s; ` +
        "CloudFormation carries on without us: follow it in the console or with aws cloudformation describe-stack-events\n",
    );
    return EXIT.problems;
  }
  const reasons = await failureReasons(client, stackName, final);
  io.stderr(
    `cors-key-pushdown deploy: stack ${stackName} in ${region} ended in ${status}.\n` +
      (reasons.length > 0
        ? reasons.map((reason) => `  ${reason}\n`).join("")
        : "  (CloudFormation gave no reason)\n"),
  );
  return EXIT.problems;
}

async function findStack(client: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0];
  } catch (error) {
    // CloudFormation has no "not found" error: a missing stack is a ValidationError saying so.
    if (error instanceof Error && error.name === "ValidationError" && /does not exist/.test(error.message))
      return undefined;
    throw error;
  }
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
  if (status === "REVIEW_IN_PROGRESS")
    return (
      `stack ${stackName} is in REVIEW_IN_PROGRESS: it holds a change set that was never executed. ` +
      "Execute or delete that change set (or delete the stack), then deploy again."
    );
  if (status.endsWith("_IN_PROGRESS"))
    return `stack ${stackName} is busy (${status}); wait until CloudFormation finishes, then deploy again.`;
  return undefined;
}

// On update, a parameter not given on the command line keeps its current value: redeploying a new version
// must not rename the macro (and break every template using it) or reset the log retention. The current
// value is passed as such rather than as UsePreviousValue, which some emulators (moto) only honour for
// parameters that were given explicitly at creation; masked (NoEcho) values can only be kept the other way.
function updateParameters(deployment: Deployment, existing: Stack): Parameter[] {
  const current = new Map(
    (existing.Parameters ?? []).map((parameter) => [parameter.ParameterKey, parameter.ParameterValue]),
  );
  const parameters: Parameter[] = [];
  for (const key of Object.keys(deployment.template.parameters)) {
    const value = current.get(key);
    if (key === "MacroName" && deployment.macroName !== undefined)
      parameters.push({ ParameterKey: key, ParameterValue: deployment.macroName });
    else if (value === "****") parameters.push({ ParameterKey: key, UsePreviousValue: true });
    else if (value !== undefined) parameters.push({ ParameterKey: key, ParameterValue: value });
  }
  return parameters;
}

function timeoutOf(options: DeployOptions): number {
  return options.timeoutMs ?? 30 * 60_000;
}

async function waitForStack(
  client: CloudFormationClient,
  stackName: string,
  options: DeployOptions,
): Promise<Stack> {
  const deadline = Date.now() + timeoutOf(options);
  const interval = options.pollIntervalMs ?? 5_000;
  // Right after CreateStack, DescribeStacks may not know the stack yet (eventual consistency): a few
  // "does not exist" answers are waited out rather than reported.
  let unseen = 0;
  for (;;) {
    const stack = await findStack(client, stackName);
    if (!stack && ++unseen > 5)
      throw new Error(`stack ${stackName} does not exist any more (deleted while deploying?)`);
    if (stack && (!stack.StackStatus?.endsWith("_IN_PROGRESS") || Date.now() >= deadline)) return stack;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * What went wrong, in CloudFormation's words: the failed resources of the latest operation, earliest first
 * (the first failure is the cause; later ones are usually cancellations it triggered), then the stack's reason.
 */
async function failureReasons(
  client: CloudFormationClient,
  stackName: string,
  stack: Stack,
): Promise<string[]> {
  const failures: StackEvent[] = [];
  try {
    let nextToken: string | undefined;
    scan: do {
      const page = await client.send(
        new DescribeStackEventsCommand({ StackName: stackName, NextToken: nextToken }),
      );
      for (const event of page.StackEvents ?? []) {
        // Events come newest first; the stack's own "User Initiated" event opens the latest operation.
        if (
          event.ResourceType === "AWS::CloudFormation::Stack" &&
          event.LogicalResourceId === stackName &&
          event.ResourceStatusReason === "User Initiated"
        )
          break scan;
        if (event.ResourceStatus?.endsWith("_FAILED") && event.ResourceStatusReason) failures.push(event);
      }
      nextToken = page.NextToken;
    } while (nextToken);
  } catch {
    // The events only explain the failure; without them the stack's status and reason still tell it.
  }
  const causes = failures.reverse().filter((event) => !/cancell?ed/i.test(event.ResourceStatusReason ?? ""));
  const shown = causes.length > 0 ? causes : failures;
  const reasons = shown.map(
    (event) => `${event.LogicalResourceId} (${event.ResourceType}): ${event.ResourceStatusReason}`,
  );
  if (stack.StackStatusReason) reasons.push(`stack: ${stack.StackStatusReason}`);
  return [...new Set(reasons)];
}

function printMacro(io: CliIo, stack: Stack): void {
  const outputs = new Map((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  const name = outputs.get("MacroName");
  if (!name) return;
  io.stdout(
    `Macro: ${name}${outputs.get("MacroFunctionArn") ? ` (function ${outputs.get("MacroFunctionArn")})` : ""}\n` +
      `Use it with: Transform: [${name}, AWS::Serverless-2016-10-31]\n`,
  );
}
