import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  type CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  type Stack,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cloudFormationClient } from "../../../src/aws/client";
import { type DeployOptions, deployCommand } from "../../../src/cli/commands/deploy";
import {
  clientWithSend,
  type Hostile,
  MOTO_INSTALL,
  type Moto,
  recordingIo,
  requireTool,
  SHORT_LIMITS,
  startHostile,
  startMoto,
  testEnv,
} from "../../aws/support";

const TEMPLATE = resolve("dist/macro.template.json");
const MACRO_TEMPLATE = readFileSync(TEMPLATE, "utf8");
const TARGET = { region: undefined, profile: undefined };
// Fast polling: moto finishes every operation before answering, the recorded clients within a few reads.
const FAST: DeployOptions = { templatePath: TEMPLATE, pollMs: 10, maxWaitMs: 5_000 };
const BOUNDARY = "arn:aws:iam::123456789012:policy/org-boundary";

const moto = requireTool("moto_server", MOTO_INSTALL);

describe.skipIf(!moto.available)(`deploy against moto${moto.note}`, () => {
  let server: Moto;
  let env: Record<string, string>;
  let client: CloudFormationClient;

  beforeAll(async () => {
    server = await startMoto();
    env = testEnv(server.endpoint);
    client = cloudFormationClient(TARGET, env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const run = async (argv: string[], options: DeployOptions = FAST) => {
    const io = recordingIo(env);
    const code = await deployCommand(argv, io, options);
    return { code, out: io.out(), err: io.err() };
  };
  const stackOf = async (stackName: string): Promise<Stack> => {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0] as Stack;
  };
  const parametersOf = async (stackName: string) =>
    Object.fromEntries(
      ((await stackOf(stackName)).Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]),
    );
  // moto lists every change set of the region whatever StackName says, hence the filter.
  const changeSetsOf = async (stackName: string) =>
    ((await client.send(new ListChangeSetsCommand({ StackName: stackName }))).Summaries ?? []).filter(
      (summary) => summary.StackName === stackName,
    );

  it("creates the stack through a change set, shows the changes and the events, and how to use the macro", async () => {
    // Arrange
    const stackName = "cors-key-pushdown";

    // Act
    const result = await run([]);

    // Assert
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const lines = result.out.split("\n");
    expect(lines[0]).toBe(`Creating stack ${stackName} in us-east-1 through a change set...`);
    expect(lines.filter((line) => line.startsWith("  + Add"))).toHaveLength(4);
    expect(result.out).toMatch(/\+ Add +MacroFunction +AWS::Lambda::Function +N\/A\n/);
    const events = lines.filter((line) => line.includes("AWS::CloudFormation::Stack"));
    expect(events[0]).toMatch(
      /^ {2}CREATE_IN_PROGRESS +AWS::CloudFormation::Stack +cors-key-pushdown +User Initiated$/,
    );
    expect(events[events.length - 1]).toMatch(
      /^ {2}CREATE_COMPLETE +AWS::CloudFormation::Stack +cors-key-pushdown/,
    );
    expect(result.out).toContain(`Stack ${stackName} in us-east-1: CREATE_COMPLETE.\n`);
    expect(result.out).toContain("Use it with: Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]\n");
    expect(await parametersOf(stackName)).toMatchObject({
      MacroName: "CorsKeyPushdown",
      PermissionsBoundary: "",
    });
  });

  it("reports an unchanged stack as up to date and exits 0", async () => {
    // Arrange
    const first = await run(["--stack-name", "unchanged"]);

    // Act
    const second = await run(["--stack-name", "unchanged"]);

    // Assert
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.out).toContain("Stack unchanged in us-east-1 is up to date; nothing to do.\n");
    expect(second.out).not.toContain("CloudFormation events");
  });

  it("renames the macro on request and keeps the new name on later updates", async () => {
    // Arrange
    await run(["--stack-name", "renamed"]);

    // Act
    const renamed = await run(["--stack-name", "renamed", "--macro-name", "OtherName"]);
    const again = await run(["--stack-name", "renamed"]);

    // Assert
    expect(renamed.err).toBe("");
    expect(renamed.code).toBe(0);
    expect(renamed.out).toContain("UPDATE_COMPLETE");
    expect(renamed.out).toContain("Macro: OtherName");
    expect(again.code).toBe(0);
    expect(again.out).toContain("up to date");
    expect(await parametersOf("renamed")).toMatchObject({ MacroName: "OtherName" });
  });

  it("sets log retention, permissions boundary and tags, and keeps them on a plain redeploy", async () => {
    // Arrange
    const argv = [
      "--stack-name",
      "configured",
      "--log-retention-days",
      "7",
      "--permissions-boundary",
      BOUNDARY,
    ];

    // Act
    const created = await run([...argv, "--tags", "team=platform cost-center=42", "--tags", "env=prod"]);
    const redeployed = await run(["--stack-name", "configured"]);

    // Assert
    expect(created.code).toBe(0);
    expect(await parametersOf("configured")).toMatchObject({
      LogRetentionInDays: "7",
      PermissionsBoundary: BOUNDARY,
    });
    expect((await stackOf("configured")).Tags).toEqual([
      { Key: "team", Value: "platform" },
      { Key: "cost-center", Value: "42" },
      { Key: "env", Value: "prod" },
    ]);
    expect(redeployed.code).toBe(0);
    expect(redeployed.out).toContain("up to date");
  });

  it("stops after showing the change set with --no-execute-changeset, and a later deploy executes a new one", async () => {
    // Arrange
    const stackName = "reviewed";

    // Act
    const reviewed = await run(["--stack-name", stackName, "--no-execute-changeset"]);
    const statusAfterReview = (await stackOf(stackName)).StackStatus;
    const deployed = await run(["--stack-name", stackName]);

    // Assert: CloudFormation creates the stack in review from the second change set; moto makes a second
    // stack of the same name for it instead, so the outcome is read from deploy's own report.    expect(reviewed.code).toBe(0);
    expect(reviewed.out).toMatch(/\+ Add +Macro +AWS::CloudFormation::Macro/);
    expect(reviewed.out).toMatch(
      /Change set cors-key-pushdown-\d+ created and not executed \(--no-execute-changeset\)/,
    );
    expect(reviewed.out).toContain(
      "aws cloudformation execute-change-set --region us-east-1 --change-set-name arn:",
    );
    expect(reviewed.out).not.toContain("CloudFormation events");
    expect(statusAfterReview).toBe("REVIEW_IN_PROGRESS");
    expect(deployed.err).toBe("");
    expect(deployed.code).toBe(0);
    expect(deployed.out).toContain(`Creating stack ${stackName} in us-east-1 through a change set...`);
    expect(deployed.out).toContain(`Stack ${stackName} in us-east-1: CREATE_COMPLETE.`);
  });

  it("does not change an existing stack with --no-execute-changeset", async () => {
    // Arrange
    await run(["--stack-name", "untouched"]);

    // Act
    const result = await run([
      "--stack-name",
      "untouched",
      "--log-retention-days",
      "90",
      "--no-execute-changeset",
    ]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.out).toContain("Updating stack untouched in us-east-1 through a change set...");
    expect(await parametersOf("untouched")).toMatchObject({ LogRetentionInDays: "30" });
  });

  it.each([
    ["an application's stack", { Resources: { Topic: { Type: "AWS::SNS::Topic" } } }],
    [
      "another macro's stack",
      {
        Description: "Some other macro",
        Resources: {
          Macro: { Type: "AWS::CloudFormation::Macro", Properties: { Name: "Other", FunctionName: "arn:f" } },
        },
      },
    ],
  ])("refuses to touch %s: exit 2, no change set, template unchanged", async (_kind, template) => {
    // Arrange
    const stackName = `foreign-${Math.random().toString(36).slice(2, 8)}`;
    const body = JSON.stringify(template);
    await client.send(new CreateStackCommand({ StackName: stackName, TemplateBody: body }));

    // Act
    const result = await run(["--stack-name", stackName]);

    // Assert
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      `cors-key-pushdown deploy: stack ${stackName} in us-east-1 is not a CorsKeyPushdown stack (its template registers ` +
        "no CorsKeyPushdown macro and its outputs name none), so deploy leaves it alone. Choose another --stack-name " +
        "(the default is cors-key-pushdown).\n",
    );
    expect(await changeSetsOf(stackName)).toEqual([]);
    const { TemplateBody } = await client.send(new GetTemplateCommand({ StackName: stackName }));
    expect(TemplateBody).toBe(body);
  });

  it("updates a stack an earlier version created without change sets (recognised by its outputs)", async () => {
    // Arrange: CreateStack with the macro template, as version 0.1.0 deployed it. The parameters are given
    // explicitly because moto counts a parameter it was not given at creation as changed on every update, and
    // cannot update the log group that depends on it.
    await client.send(
      new CreateStackCommand({
        StackName: "legacy",
        TemplateBody: MACRO_TEMPLATE,
        Capabilities: ["CAPABILITY_IAM"],
        Parameters: [
          { ParameterKey: "MacroName", ParameterValue: "CorsKeyPushdown" },
          { ParameterKey: "LogRetentionInDays", ParameterValue: "30" },
          { ParameterKey: "PermissionsBoundary", ParameterValue: "" },
        ],
      }),
    );

    // Act
    const result = await run(["--stack-name", "legacy", "--macro-name", "LegacyName"]);

    // Assert
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain("Stack legacy in us-east-1: UPDATE_COMPLETE.");
    expect(await parametersOf("legacy")).toMatchObject({ MacroName: "LegacyName", LogRetentionInDays: "30" });
  });

  it("exits 1 with CloudFormation's message when it refuses the template", async () => {
    // Arrange: moto, like CloudFormation, refuses a GetAtt to a resource that does not exist
    const broken = join(mkdtempSync(join(tmpdir(), "ckp-deploy-")), "broken.json");
    const topicName = { "Fn::GetAtt": ["Nope", "Arn"] };
    writeFileSync(
      broken,
      JSON.stringify({ Resources: { T: { Type: "AWS::SNS::Topic", Properties: { TopicName: topicName } } } }),
    );

    // Act
    const result = await run(["--stack-name", "refused"], { ...FAST, templatePath: broken });

    // Assert
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/ValidationError: .*Nope/);
  });

  it("reads the endpoint from AWS_ENDPOINT_URL when there is no CloudFormation-specific one", async () => {
    // Arrange
    const io = recordingIo({
      ...env,
      AWS_ENDPOINT_URL_CLOUDFORMATION: undefined,
      AWS_ENDPOINT_URL: server.endpoint,
    });

    // Act
    const code = await deployCommand(["--stack-name", "generic-endpoint"], io, FAST);

    // Assert
    expect(io.err()).toBe("");
    expect(code).toBe(0);
  });
});

describe("deploy against endpoints that answer badly", () => {
  let hostile: Hostile | undefined;
  afterEach(async () => {
    await hostile?.stop();
    hostile = undefined;
  });

  it.each([
    ["silent", "no answer within 0.4 s, after 2 attempts; check the endpoint, your network and any proxy"],
    ["empty-200", "answered without the id and status of stack cors-key-pushdown"],
    ["garbage-xml", "answered HTTP 200 with a body that is not CloudFormation's XML: "],
    ["html-500", "answered HTTP 500 (text/html) without an AWS error code, after 2 attempts"],
    ["internal-failure", "InternalFailure (HTTP 500, after 2 attempts): The request processing has failed"],
  ] as const)(
    "%s: exit 2 within seconds, naming the call, the endpoint and the answer",
    async (how, detail) => {
      // Arrange
      hostile = await startHostile(how);
      const io = recordingIo(testEnv(hostile.endpoint));
      const started = Date.now();

      // Act
      const code = await deployCommand([], io, { ...FAST, limits: SHORT_LIMITS });

      // Assert
      expect(code).toBe(2);
      expect(io.err()).toContain(
        `cors-key-pushdown deploy: CloudFormation DescribeStacks at ${hostile.endpoint}: ${detail}`,
      );
      expect(io.err()).not.toMatch(/hidden field|\$response/);
      expect(io.out()).toBe("");
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );
});

describe("deploy usage errors", () => {
  const run = async (argv: string[], templatePath = TEMPLATE) => {
    const io = recordingIo({ AWS_REGION: "us-east-1" });
    const code = await deployCommand(argv, io, {
      templatePath,
      client: recordedClient({ fail: unexpectedCall() }),
    });
    return { code, out: io.out(), err: io.err() };
  };

  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["--region"], /--region.*argument missing/],
    [["--stack-name", "1stack"], /--stack-name: expected a letter followed by/],
    [["--stack-name", ""], /--stack-name: expected a value, got an empty string/],
    [["--macro-name", "has space"], /--macro-name: expected a value matching/],
    [["--log-retention-days", "8"], /--log-retention-days: expected one of 1, 3, 5, 7, 14, 30/],
    [
      ["--permissions-boundary", "arn:aws:iam::123:policy/x"],
      /--permissions-boundary: expected a value matching/,
    ],
    [["--tags", "team"], /--tags: expected key=value, got "team"/],
    [["extra"], /Unexpected argument 'extra'/],
  ])("exits 2 for %j before any AWS call", async (argv, message) => {
    // Arrange: the arguments above

    // Act
    const result = await run(argv);

    // Assert
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err).toContain("Usage: cors-key-pushdown deploy");
  });

  it("exits 2 naming the expected path when the template is missing", async () => {
    // Arrange
    const missing = join(tmpdir(), "no-such-dir-ckp", "macro.template.json");

    // Act
    const result = await run([], missing);

    // Assert
    expect(result.code).toBe(2);
    expect(result.err).toContain(`expected the macro template at ${missing}`);
  });

  it("prints its help on --help and exits 0", async () => {
    // Arrange / Act
    const result = await run(["--help"]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.out).toContain("--no-execute-changeset");
    expect(result.err).toBe("");
  });
});

// moto runs every operation to success and produces no resource events, failed change sets or busy
// stacks; these tests play back answers recorded in CloudFormation's shapes instead.
describe("deploy outcomes moto cannot produce (recorded answers)", () => {
  it("exits 1 with the failed resource's reason when creation rolls back, leaving out the cancellations", async () => {
    // Arrange: events newest first, as CloudFormation returns them; the last is the one before execution
    const client = recordedClient({
      stacks: [
        undefined,
        ours("CREATE_IN_PROGRESS"),
        ours("ROLLBACK_COMPLETE", "The following resource(s) failed to create: [MacroFunctionRole]."),
      ],
      events: [
        [stackEvent("REVIEW_IN_PROGRESS", "User Initiated")],
        [
          stackEvent("ROLLBACK_COMPLETE"),
          resourceEvent(
            "MacroFunction",
            "AWS::Lambda::Function",
            "CREATE_FAILED",
            "Resource creation cancelled",
          ),
          resourceEvent(
            "MacroFunctionRole",
            "AWS::IAM::Role",
            "CREATE_FAILED",
            "User: x is not authorized to perform: iam:CreateRole",
          ),
          stackEvent("CREATE_IN_PROGRESS", "User Initiated"),
          stackEvent("REVIEW_IN_PROGRESS", "User Initiated"),
        ],
      ],
    });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, { ...FAST, client });

    // Assert
    expect(code).toBe(1);
    expect(io.err()).toBe(
      "cors-key-pushdown deploy: stack macro in us-east-1 ended in ROLLBACK_COMPLETE.\n" +
        "  MacroFunctionRole (AWS::IAM::Role): User: x is not authorized to perform: iam:CreateRole\n" +
        "  stack: The following resource(s) failed to create: [MacroFunctionRole].\n",
    );
    expect(io.out()).toMatch(/CREATE_FAILED +AWS::IAM::Role +MacroFunctionRole +User: x is not authorized/);
    expect(io.out().match(/REVIEW_IN_PROGRESS/g)).toBeNull();
  });

  it.each([
    ["ROLLBACK_COMPLETE", "aws cloudformation delete-stack --stack-name macro"],
    ["UPDATE_ROLLBACK_FAILED", "aws cloudformation continue-update-rollback --stack-name macro"],
    ["UPDATE_IN_PROGRESS", "wait until CloudFormation finishes"],
  ])("exits 1 without a change set for its own stack in %s, saying what to do", async (status, advice) => {
    // Arrange
    const client = recordedClient({ stacks: [ours(status)] });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, { ...FAST, client });

    // Assert
    expect(code).toBe(1);
    expect(io.err()).toContain(advice);
    expect(client.sent).not.toContain("CreateChangeSetCommand");
  });

  it("gives no advice about a foreign stack, whatever its state", async () => {
    // Arrange: someone else's failed stack
    const client = recordedClient({
      stacks: [{ ...ours("ROLLBACK_COMPLETE"), Description: "Orders API", Outputs: [] }],
      template: JSON.stringify({ Description: "Orders API", Resources: { T: { Type: "AWS::SNS::Topic" } } }),
    });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, { ...FAST, client });

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain("is not a CorsKeyPushdown stack");
    expect(io.err()).not.toContain("delete-stack");
  });

  it("exits 1 with CloudFormation's reason when it refuses the change set", async () => {
    // Arrange
    const client = recordedClient({
      stacks: [ours("UPDATE_COMPLETE")],
      changeSet: { Status: "FAILED", StatusReason: "Requires capabilities : [CAPABILITY_NAMED_IAM]" },
    });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, { ...FAST, client });

    // Assert
    expect(code).toBe(1);
    expect(io.err()).toMatch(
      /^cors-key-pushdown deploy: CloudFormation refused change set cors-key-pushdown-\d+ for stack macro in us-east-1: Requires capabilities : \[CAPABILITY_NAMED_IAM\]\n$/,
    );
    expect(client.sent).not.toContain("ExecuteChangeSetCommand");
  });

  it("stops waiting and exits 2 when the endpoint stops answering while the stack is being created", async () => {
    // Arrange: the stack stays in progress; the second read of its events finds the connection reset
    const client = recordedClient({
      stacks: [undefined, ours("CREATE_IN_PROGRESS")],
      events: [
        [stackEvent("REVIEW_IN_PROGRESS", "User Initiated")],
        [stackEvent("CREATE_IN_PROGRESS", "User Initiated")],
      ],
      eventsFailFrom: 3,
    });
    const io = recordingIo({});
    const started = Date.now();

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, { ...FAST, client, maxWaitMs: 60_000 });

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toBe(
      "cors-key-pushdown deploy: CloudFormation DescribeStackEvents at https://cloudformation.us-east-1.amazonaws.com: " +
        "connection reset before a complete answer (ECONNRESET, after 3 attempts); check the endpoint, your network and any proxy\n",
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("exits 1 when the stack is still in progress after the longest wait, saying CloudFormation carries on", async () => {
    // Arrange
    const client = recordedClient({
      stacks: [undefined, ours("CREATE_IN_PROGRESS")],
      events: [[stackEvent("REVIEW_IN_PROGRESS", "User Initiated")]],
    });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, { ...FAST, client, maxWaitMs: 200 });

    // Assert
    expect(code).toBe(1);
    expect(io.err()).toContain(
      "stack macro in us-east-1 is still CREATE_IN_PROGRESS after 0 s; CloudFormation carries on",
    );
  });

  it("exits 2 and names the profile when it has no credentials", async () => {
    // Arrange
    const client = recordedClient({ fail: credentialsError() });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--profile", "prod"], io, { ...FAST, client });

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain('no usable credentials for profile "prod"');
  });

  it("passes CAPABILITY_IAM and keeps parameters not given on update; a parameter the stack lacks takes its default", async () => {
    // Arrange: a stack from before PermissionsBoundary existed, with a masked value
    const client = recordedClient({
      stacks: [
        {
          ...ours("UPDATE_COMPLETE"),
          Parameters: [
            { ParameterKey: "MacroName", ParameterValue: "OrgCorsFix" },
            { ParameterKey: "LogRetentionInDays", ParameterValue: "****" },
          ],
        },
      ],
      changeSet: { Status: "FAILED", StatusReason: "The submitted information didn't contain changes." },
    });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro", "--tags", "team=platform"], io, {
      ...FAST,
      client,
    });

    // Assert
    expect(code).toBe(0);
    expect(io.out()).toContain("is up to date");
    expect(client.inputs.CreateChangeSetCommand?.[0]).toMatchObject({
      ChangeSetType: "UPDATE",
      Capabilities: ["CAPABILITY_IAM"],
      Parameters: [
        { ParameterKey: "MacroName", ParameterValue: "OrgCorsFix" },
        { ParameterKey: "LogRetentionInDays", UsePreviousValue: true },
      ],
      Tags: [{ Key: "team", Value: "platform" }],
    });
    expect(client.sent).toContain("DeleteChangeSetCommand");
  });
});

const STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/macro/1";
const CHANGE_SET_ID = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1";
let eventCounter = 0;

function ours(status: string, reason?: string): Stack {
  return {
    StackName: "macro",
    StackId: STACK_ID,
    StackStatus: status as Stack["StackStatus"],
    StackStatusReason: reason,
    CreationTime: new Date(),
    Description: "CorsKeyPushdown macro - pushes an API-level ApiKeyRequired down to the routes",
    Parameters: [
      { ParameterKey: "MacroName", ParameterValue: "CorsKeyPushdown" },
      { ParameterKey: "LogRetentionInDays", ParameterValue: "30" },
    ],
    Outputs: [
      { OutputKey: "MacroName", OutputValue: "CorsKeyPushdown" },
      { OutputKey: "MacroFunctionArn", OutputValue: "arn:aws:lambda:us-east-1:123456789012:function:f" },
    ],
  };
}

function resourceEvent(id: string, type: string, status: string, reason?: string): StackEvent {
  eventCounter += 1;
  return {
    StackId: STACK_ID,
    StackName: "macro",
    EventId: `${id}-${status}-${eventCounter}`,
    LogicalResourceId: id,
    ResourceType: type,
    ResourceStatus: status as StackEvent["ResourceStatus"],
    ResourceStatusReason: reason,
    Timestamp: new Date(),
  };
}

function stackEvent(status: string, reason?: string): StackEvent {
  // The same status and reason is the same event (its id must stay the same from one read to the next).
  return {
    ...resourceEvent("macro", "AWS::CloudFormation::Stack", status, reason),
    EventId: `stack-${status}-${reason}`,
  };
}

function credentialsError(): Error {
  return Object.assign(new Error("Could not load credentials from any providers"), {
    name: "CredentialsProviderError",
  });
}

function unexpectedCall(): Error {
  return new Error("no AWS call expected in a usage error");
}

interface Recording {
  /** DescribeStacks answers in order (the last repeats); `undefined` is "does not exist". */
  readonly stacks?: (Stack | undefined)[];
  /** DescribeStackEvents answers in order (the last repeats). */
  readonly events?: StackEvent[][];
  /** From this DescribeStackEvents call on, the connection is reset (as the SDK reports it after retries). */
  readonly eventsFailFrom?: number;
  readonly changeSet?: Partial<DescribeChangeSetCommandOutput>;
  readonly template?: string;
  /** Every call fails with this. */
  readonly fail?: Error;
}

/** A client that plays back CloudFormation's answers and records what was sent. */
function recordedClient(recording: Recording) {
  const sent: string[] = [];
  const inputs: Record<string, unknown[]> = {};
  const counts = new Map<string, number>();
  const nth = <T>(answers: readonly T[], name: string): T => {
    const count = counts.get(name) ?? 0;
    counts.set(name, count + 1);
    return answers[Math.min(count, answers.length - 1)] as T;
  };
  const send = async (command: { constructor: { name: string }; input: unknown }) => {
    const name = command.constructor.name;
    sent.push(name);
    inputs[name] = [...(inputs[name] ?? []), command.input];
    if (recording.fail) throw recording.fail;
    if (command instanceof DescribeStacksCommand) {
      const stack = nth(recording.stacks ?? [undefined], name);
      if (stack === undefined)
        throw Object.assign(new Error("Stack with id macro does not exist"), {
          name: "ValidationError",
          $fault: "client",
          $metadata: { httpStatusCode: 400, attempts: 1 },
        });
      return { Stacks: [stack] };
    }
    if (command instanceof DescribeStackEventsCommand) {
      const count = (counts.get(name) ?? 0) + 1;
      if (recording.eventsFailFrom !== undefined && count >= recording.eventsFailFrom)
        throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET", $metadata: { attempts: 3 } });
      return { StackEvents: nth(recording.events ?? [[]], name) };
    }
    if (command instanceof GetTemplateCommand) return { TemplateBody: recording.template };
    if (command instanceof CreateChangeSetCommand) return { Id: CHANGE_SET_ID, StackId: STACK_ID };
    if (command instanceof DescribeChangeSetCommand)
      return {
        ChangeSetId: CHANGE_SET_ID,
        Status: "CREATE_COMPLETE",
        ExecutionStatus: "AVAILABLE",
        Changes: [
          {
            Type: "Resource",
            ResourceChange: {
              Action: "Add",
              LogicalResourceId: "MacroFunctionRole",
              ResourceType: "AWS::IAM::Role",
            },
          },
        ],
        ...recording.changeSet,
      };
    if (command instanceof ExecuteChangeSetCommand) return {};
    if (name === "DeleteChangeSetCommand") return {};
    throw new Error(`unexpected command ${name}`);
  };
  return Object.assign(clientWithSend(send as (command: unknown) => Promise<unknown>), { sent, inputs });
}
