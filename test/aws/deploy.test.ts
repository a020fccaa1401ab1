import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackEvent,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudFormationClient } from "../../src/aws/client";
import { deployCommand } from "../../src/cli/commands/deploy";
import { MOTO_INSTALL, type Moto, motoEnv, recordingIo, requireTool, startMoto } from "./support";

const TEMPLATE = resolve("dist/macro.template.json");
const moto = requireTool("moto_server", MOTO_INSTALL);

describe.skipIf(!moto.available)(`deploy against moto${moto.note}`, () => {
  let server: Moto;
  let env: Record<string, string>;
  let client: CloudFormationClient;

  beforeAll(async () => {
    server = await startMoto();
    env = motoEnv(server.endpoint);
    client = cloudFormationClient({ region: undefined, profile: undefined }, recordingIo(env));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const run = async (argv: string[], templatePath = TEMPLATE) => {
    const io = recordingIo(env);
    const code = await deployCommand(argv, io, { templatePath, pollIntervalMs: 10 });
    return { code, out: io.out(), err: io.err() };
  };
  const parametersOf = async (stackName: string) => {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries((Stacks?.[0]?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
  };

  it("creates the stack with the default macro name", async () => {
    // Arrange
    const stackName = "cors-key-pushdown";

    // Act
    const result = await run([]);

    // Assert
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain(`Creating stack ${stackName} in us-east-1`);
    expect(result.out).toContain("CREATE_COMPLETE");
    expect(result.out).toContain("Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]");
    expect(await parametersOf(stackName)).toMatchObject({ MacroName: "CorsKeyPushdown" });
  });

  it("reports an unchanged stack as up to date and exits 0", async () => {
    // Arrange
    const first = await run(["--stack-name", "unchanged"]);

    // Act
    const second = await run(["--stack-name", "unchanged"]);

    // Assert
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.out).toContain("Stack unchanged in us-east-1 is up to date");
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

  it("exits 1 with CloudFormation's message when the template is refused", async () => {
    // Arrange: moto, like CloudFormation, refuses a GetAtt to a resource that does not exist.
    const dir = mkdtempSync(join(tmpdir(), "ckp-deploy-"));
    const broken = join(dir, "broken.json");
    writeFileSync(
      broken,
      JSON.stringify({
        Resources: {
          Topic: { Type: "AWS::SNS::Topic", Properties: { TopicName: { "Fn::GetAtt": ["Nope", "Arn"] } } },
        },
      }),
    );

    // Act
    const result = await run(["--stack-name", "refused"], broken);

    // Assert
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/ValidationError: .*undefined resource Nope/);
  });

  it("reads the endpoint from AWS_ENDPOINT_URL when there is no CloudFormation-specific one", async () => {
    // Arrange
    const io = recordingIo({
      ...env,
      AWS_ENDPOINT_URL_CLOUDFORMATION: undefined,
      AWS_ENDPOINT_URL: server.endpoint,
    });

    // Act
    const code = await deployCommand(["--stack-name", "generic-endpoint"], io, {
      templatePath: TEMPLATE,
      pollIntervalMs: 10,
    });

    // Assert
    expect(io.err()).toBe("");
    expect(code).toBe(0);
  });
});

describe("deploy usage errors", () => {
  const run = async (argv: string[], templatePath = TEMPLATE) => {
    const io = recordingIo({ AWS_REGION: "us-east-1" });
    const code = await deployCommand(argv, io, { templatePath, client: unusedClient() });
    return { code, out: io.out(), err: io.err() };
  };

  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["--region"], /--region.*argument missing/],
    [["--stack-name", "1stack"], /--stack-name: expected a letter followed by/],
    [["--stack-name", ""], /--stack-name: expected a value, got an empty string/],
    [["--macro-name", "has space"], /--macro-name: expected a name matching/],
    [["extra"], /Unexpected argument 'extra'/],
  ])("exits 2 for %j", async (argv, message) => {
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
    expect(result.out).toContain("--macro-name");
    expect(result.err).toBe("");
  });
});

describe("deploy outcomes moto cannot produce", () => {
  it("exits 1 with the failed resource's reason when creation rolls back", async () => {
    // Arrange: events newest first, as CloudFormation returns them; an older operation's failure below the
    // "User Initiated" event must not be reported, nor the cancellation the real failure caused.
    const events: StackEvent[] = [
      stackEvent("macro", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE"),
      stackEvent("MacroFunction", "AWS::Lambda::Function", "CREATE_FAILED", "Resource creation cancelled"),
      stackEvent(
        "MacroFunctionRole",
        "AWS::IAM::Role",
        "CREATE_FAILED",
        "User: x is not authorized to perform: iam:CreateRole",
      ),
      stackEvent("macro", "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated"),
      stackEvent("Old", "AWS::Logs::LogGroup", "CREATE_FAILED", "an earlier failure"),
    ];
    const client = fakeClient({
      statuses: [undefined, "CREATE_IN_PROGRESS", "ROLLBACK_COMPLETE"],
      events,
      stackStatusReason: "The following resource(s) failed to create: [MacroFunctionRole].",
    });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, {
      templatePath: TEMPLATE,
      client,
      pollIntervalMs: 1,
    });

    // Assert
    expect(code).toBe(1);
    expect(io.err()).toContain("stack macro in us-east-1 ended in ROLLBACK_COMPLETE");
    expect(io.err()).toContain(
      "MacroFunctionRole (AWS::IAM::Role): User: x is not authorized to perform: iam:CreateRole",
    );
    expect(io.err()).toContain("stack: The following resource(s) failed to create: [MacroFunctionRole].");
    expect(io.err()).not.toContain("cancelled");
    expect(io.err()).not.toContain("an earlier failure");
  });

  it.each([
    ["ROLLBACK_COMPLETE", "aws cloudformation delete-stack --stack-name macro"],
    ["UPDATE_ROLLBACK_FAILED", "aws cloudformation continue-update-rollback --stack-name macro"],
    ["UPDATE_IN_PROGRESS", "wait until CloudFormation finishes"],
  ])("exits 1 without updating a stack in %s, saying what to do", async (status, advice) => {
    // Arrange
    const client = fakeClient({ statuses: [status], events: [] });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, { templatePath: TEMPLATE, client });

    // Assert
    expect(code).toBe(1);
    expect(io.err()).toContain(advice);
    expect(client.sent).not.toContain("UpdateStackCommand");
  });

  it("waits for a just-created stack that DescribeStacks does not know yet", async () => {
    // Arrange: not found before creation, still not found once, then complete
    const client = fakeClient({ statuses: [undefined, undefined, "CREATE_COMPLETE"], events: [] });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, {
      templatePath: TEMPLATE,
      client,
      pollIntervalMs: 1,
    });

    // Assert
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    expect(io.out()).toContain("Stack macro in us-east-1: CREATE_COMPLETE.");
  });

  it("exits 2 and names the profile when it has no credentials", async () => {
    // Arrange
    const client = fakeClient({ statuses: [], events: [], fail: credentialsError() });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--profile", "prod"], io, { templatePath: TEMPLATE, client });

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain('no usable credentials for profile "prod"');
  });

  it("passes CAPABILITY_IAM and keeps unspecified parameters on update", async () => {
    // Arrange
    const client = fakeClient({
      statuses: ["CREATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"],
      events: [],
    });
    const io = recordingIo({});

    // Act
    const code = await deployCommand(["--stack-name", "macro"], io, {
      templatePath: TEMPLATE,
      client,
      pollIntervalMs: 1,
    });

    // Assert
    expect(code).toBe(0);
    expect(client.updates[0]).toMatchObject({
      Capabilities: ["CAPABILITY_IAM"],
      Parameters: [
        { ParameterKey: "MacroName", ParameterValue: "CorsKeyPushdown" },
        { ParameterKey: "LogRetentionInDays", ParameterValue: "30" },
      ],
    });
  });
});

function stackEvent(id: string, type: string, status: string, reason?: string): StackEvent {
  return {
    StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/macro/1",
    StackName: "macro",
    EventId: `${id}-${status}`,
    LogicalResourceId: id,
    ResourceType: type,
    ResourceStatus: status as StackEvent["ResourceStatus"],
    ResourceStatusReason: reason,
    Timestamp: new Date(),
  };
}

function credentialsError(): Error {
  const error = new Error("Could not load credentials from any providers");
  error.name = "CredentialsProviderError";
  return error;
}

interface FakeSetup {
  /** DescribeStacks answers in order (the last repeats); undefined means "does not exist". */
  readonly statuses: (string | undefined)[];
  readonly events: StackEvent[];
  readonly stackStatusReason?: string;
  readonly fail?: Error;
}

/** A client that plays back CloudFormation answers, for states moto never reaches. */
function fakeClient(setup: FakeSetup): CloudFormationClient & { sent: string[]; updates: unknown[] } {
  const real = new CloudFormationClient({
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
  });
  const sent: string[] = [];
  const updates: unknown[] = [];
  let describeCount = 0;
  const send = async (command: unknown) => {
    sent.push((command as object).constructor.name);
    if (setup.fail) throw setup.fail;
    if (command instanceof DescribeStacksCommand) {
      const status = setup.statuses[Math.min(describeCount, setup.statuses.length - 1)];
      describeCount += 1;
      if (status === undefined) {
        const error = new Error("Stack with id macro does not exist");
        error.name = "ValidationError";
        throw error;
      }
      return {
        Stacks: [
          {
            StackName: "macro",
            StackStatus: status,
            StackStatusReason: setup.stackStatusReason,
            CreationTime: new Date(),
            Parameters: [
              { ParameterKey: "MacroName", ParameterValue: "CorsKeyPushdown" },
              { ParameterKey: "LogRetentionInDays", ParameterValue: "30" },
            ],
          },
        ],
      };
    }
    if (command instanceof DescribeStackEventsCommand) return { StackEvents: setup.events };
    if (command instanceof UpdateStackCommand) {
      updates.push(command.input);
      return { StackId: "id" };
    }
    if (command instanceof CreateStackCommand) return { StackId: "id" };
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  };
  return Object.assign(real, { send, sent, updates }) as unknown as CloudFormationClient & {
    sent: string[];
    updates: unknown[];
  };
}

function unusedClient(): CloudFormationClient {
  return fakeClient({ statuses: [], events: [], fail: new Error("no AWS call expected in a usage error") });
}
