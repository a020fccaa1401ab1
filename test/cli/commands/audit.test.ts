import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  GetTemplateCommand,
  ListStacksCommand,
} from "@aws-sdk/client-cloudformation";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cloudFormationClient } from "../../../src/aws/client";
import { type AuditOptions, auditCommand } from "../../../src/cli/commands/audit";
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

// moto stores templates as given and answers GetTemplate with them whatever the TemplateStage, so these
// bodies are written the way SAM's output looks: a RestApi whose inline Body carries the preflights.
const KEYED_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OrdersApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
      Body:
        swagger: "2.0"
        info: { title: orders }
        paths:
          /orders:
            get:
              security: [{ api_key: [] }]
              x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: arn:aws:apigateway:us-east-1:lambda:path/f }
            options:
              security: [{ api_key: [] }]
              x-amazon-apigateway-integration: { type: mock }
          /orders/{id}:
            options:
              security: [{ api_key: [] }]
              x-amazon-apigateway-integration: { type: mock }
        securityDefinitions:
          api_key: { type: apiKey, name: x-api-key, in: header }
`;

const CLEAN_JSON = JSON.stringify({
  Resources: {
    UsersApi: {
      Type: "AWS::ApiGateway::RestApi",
      Properties: {
        Name: "users",
        Body: {
          swagger: "2.0",
          info: { title: "users" },
          paths: {
            "/users": {
              get: {
                security: [{ api_key: [] }],
                "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: "arn:f" },
              },
              options: { "x-amazon-apigateway-integration": { type: "mock" } },
            },
          },
        },
      },
    },
  },
});

const NO_API_JSON = JSON.stringify({ Resources: { Topic: { Type: "AWS::SNS::Topic" } } });
const MACRO_TEMPLATE = readFileSync(resolve("dist/macro.template.json"), "utf8");
const TARGET = { region: undefined, profile: undefined };

const moto = requireTool("moto_server", MOTO_INSTALL);

describe.skipIf(!moto.available)(`audit against moto${moto.note}`, () => {
  let server: Moto;
  let env: Record<string, string>;
  let client: CloudFormationClient;
  const inRegion = (region: string) => cloudFormationClient(TARGET, { ...env, AWS_REGION: region });

  beforeAll(async () => {
    server = await startMoto();
    env = testEnv(server.endpoint);
    client = cloudFormationClient(TARGET, env);
    const create = (name: string, body: string, on = client) =>
      on.send(new CreateStackCommand({ StackName: name, TemplateBody: body }));
    await create("orders", KEYED_YAML);
    await create("users", CLEAN_JSON);
    await create("topics", NO_API_JSON);
    await create("gone", KEYED_YAML);
    await client.send(new DeleteStackCommand({ StackName: "gone" }));
    // The macro, deployed under another name than the default, as an organisation might.
    await client.send(
      new CreateStackCommand({
        StackName: "cors-key-pushdown",
        TemplateBody: MACRO_TEMPLATE,
        Capabilities: ["CAPABILITY_IAM"],
        Parameters: [{ ParameterKey: "MacroName", ParameterValue: "OrgCorsFix" }],
      }),
    );
    // A region where the macro was never deployed, and one with many stacks.
    await create("orders", KEYED_YAML, inRegion("eu-west-1"));
    const many = inRegion("ap-southeast-2");
    for (let index = 0; index < 12; index += 1) await create(`topics-${index}`, NO_API_JSON, many);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const run = async (argv: string[], options: AuditOptions = {}, extraEnv: Record<string, string> = {}) => {
    const io = recordingIo({ ...env, ...extraEnv });
    const code = await auditCommand(argv, io, { stderrIsTty: false, ...options });
    return { code, out: io.out(), err: io.err() };
  };

  it("sanity: moto keeps the deleted stack listed, so --all must skip it", async () => {
    // Arrange / Act
    const { StackSummaries } = await client.send(new ListStacksCommand({}));
    const { TemplateBody } = await client.send(
      new GetTemplateCommand({ StackName: "orders", TemplateStage: "Processed" }),
    );

    // Assert
    expect(StackSummaries?.find((stack) => stack.StackName === "gone")?.StackStatus).toBe("DELETE_COMPLETE");
    expect(TemplateBody).toBe(KEYED_YAML);
  });

  it("lists each keyed preflight of a YAML stack, exits 1, and names the macro deployed in the region", async () => {
    // Arrange: the "orders" stack, and the macro registered as OrgCorsFix

    // Act
    const result = await run(["--stack-name", "orders"]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.out).toBe("orders\tOrdersApi\t/orders\norders\tOrdersApi\t/orders/{id}\n");
    expect(result.err).toBe(
      "2 CORS preflights requiring an API key, in 1 API of 1 stack (1 stack checked in us-east-1). " +
        "Browsers get 403 on these preflights: list the macro OrgCorsFix (stack cors-key-pushdown) " +
        "before AWS::Serverless-2016-10-31 in those templates' Transform and redeploy.\n",
    );
  });

  it("says to deploy the macro first where it is not deployed", async () => {
    // Arrange: eu-west-1 has a keyed stack and no macro

    // Act
    const result = await run(["--all"], {}, { AWS_REGION: "eu-west-1" });

    // Assert
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      "no CorsKeyPushdown macro is deployed in eu-west-1: deploy it (cors-key-pushdown deploy --region eu-west-1), " +
        "then list CorsKeyPushdown before AWS::Serverless-2016-10-31",
    );
  });

  it("exits 0 for a JSON stack whose preflight needs no key", async () => {
    // Arrange: the "users" and "topics" stacks

    // Act
    const result = await run(["--stack-name", "users", "--stack-name", "topics"]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.out).toBe("");
    expect(result.err).toBe("No CORS preflight requires an API key (2 stacks checked in us-east-1).\n");
  });

  it("checks every live stack with --all, skipping deleted ones", async () => {
    // Arrange: five stacks, one of them deleted

    // Act
    const result = await run(["--all"]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.out.split("\n").filter(Boolean)).toEqual([
      "orders\tOrdersApi\t/orders",
      "orders\tOrdersApi\t/orders/{id}",
    ]);
    expect(result.err).toContain("(4 stacks checked in us-east-1)");
  });

  it("exits 2 and says the audit is incomplete when a named stack cannot be read", async () => {
    // Arrange: no stack is called "missing"

    // Act
    const result = await run(["--stack-name", "missing", "--stack-name", "orders"]);

    // Assert
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      `stack missing: could not read its processed template: CloudFormation GetTemplate at ${server.endpoint}: ValidationError: `,
    );
    expect(result.err).toContain("The audit is incomplete: 1 of 2 stacks could not be read.\n");
    expect(result.err).not.toContain("No CORS preflight requires");
    expect(result.out).toContain("orders\tOrdersApi\t/orders\n");
  });

  it("does not call a partly read region clean", async () => {
    // Arrange: "users" has no finding, "missing" cannot be read

    // Act
    const result = await run(["--stack-name", "users", "--stack-name", "missing"]);

    // Assert
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      "The audit is incomplete: 1 of 2 stacks could not be read; no finding in the 1 other.\n",
    );
    expect(result.err).not.toContain("No CORS preflight requires");
  });

  it("shows progress on a terminal when it reads many stacks, and clears it", async () => {
    // Arrange: twelve stacks in ap-southeast-2

    // Act
    const quiet = await run(["--all"], {}, { AWS_REGION: "ap-southeast-2" });
    const shown = await run(["--all"], { stderrIsTty: true }, { AWS_REGION: "ap-southeast-2" });

    // Assert
    expect(quiet.err).toBe("No CORS preflight requires an API key (12 stacks checked in ap-southeast-2).\n");
    expect(shown.code).toBe(0);
    expect(shown.err).toContain("\r\x1b[2KReading processed templates: 1/12");
    expect(shown.err).toContain("\r\x1b[2KReading processed templates: 12/12");
    expect(
      shown.err.endsWith(
        "\r\x1b[2KNo CORS preflight requires an API key (12 stacks checked in ap-southeast-2).\n",
      ),
    ).toBe(true);
  });
});

describe("audit against endpoints that answer badly", () => {
  let hostile: Hostile | undefined;
  afterEach(async () => {
    await hostile?.stop();
    hostile = undefined;
  });

  const runAgainst = async (how: Parameters<typeof startHostile>[0], argv: string[]) => {
    hostile = await startHostile(how);
    const io = recordingIo(testEnv(hostile.endpoint));
    const started = Date.now();
    const code = await auditCommand(argv, io, { limits: SHORT_LIMITS, stderrIsTty: false });
    return { code, out: io.out(), err: io.err(), ms: Date.now() - started, endpoint: hostile.endpoint };
  };

  it.each([
    ["empty-200", "answered without a template body for orders"],
    ["garbage-xml", "answered HTTP 200 with a body that is not CloudFormation's XML"],
    ["html-500", "answered HTTP 500 (text/html) without an AWS error code, after 2 attempts"],
    ["internal-failure", "InternalFailure (HTTP 500, after 2 attempts): The request processing has failed"],
  ] as const)(
    "%s: exit 2, the audit is incomplete, never 'no CORS preflight requires an API key'",
    async (how, detail) => {
      // Arrange: the answer above to every request

      // Act
      const result = await runAgainst(how, ["--stack-name", "orders"]);

      // Assert
      expect(result.code).toBe(2);
      expect(result.out).toBe("");
      expect(result.err).toContain(
        `cors-key-pushdown audit: stack orders: could not read its processed template: CloudFormation GetTemplate at ${result.endpoint}: ${detail}`,
      );
      expect(result.err).toContain("The audit is incomplete: 1 of 1 stack could not be read.\n");
      expect(result.err).not.toMatch(/No CORS preflight requires|hidden field|\$response/);
    },
  );

  it("stops at the first stacks when the endpoint never answers, and says so once", async () => {
    // Arrange: six stacks, read four at a time

    // Act
    const result = await runAgainst(
      "silent",
      ["a", "b", "c", "d", "e", "f"].flatMap((name) => ["--stack-name", name]),
    );

    // Assert: the first four time out together; the last two are never asked for
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      `cors-key-pushdown audit: CloudFormation GetTemplate at ${result.endpoint}: no answer within 0.4 s, after 2 attempts; ` +
        "check the endpoint, your network and any proxy. The audit is incomplete.\n",
    );
    expect(hostile?.requests()).toBe(4 * SHORT_LIMITS.maxAttempts);
    expect(result.ms).toBeLessThan(5_000);
  });

  it("exits 2 naming ListStacks when --all cannot list the stacks", async () => {
    // Arrange: an endpoint that never answers

    // Act
    const result = await runAgainst("silent", ["--all"]);

    // Assert
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      new RegExp(
        `^cors-key-pushdown audit: CloudFormation ListStacks at ${result.endpoint}: no answer within`,
      ),
    );
  });
});

describe("audit usage errors", () => {
  it.each([
    [[], /expected --stack-name <name> or --all/],
    [["--all", "--stack-name", "x"], /expected either --stack-name or --all, not both/],
    [["--stack-name"], /--stack-name.*argument missing/],
    [["--everything"], /Unknown option '--everything'/],
  ])("exits 2 for %j", async (argv, message) => {
    // Arrange
    const io = recordingIo({});

    // Act
    const code = await auditCommand(argv, io);

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err()).toContain("Usage: cors-key-pushdown audit");
  });

  it("exits 2 once, naming the cause, when credentials are missing for named stacks", async () => {
    // Arrange
    let calls = 0;
    const failing = clientWithSend(async () => {
      calls += 1;
      throw Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      });
    });
    const io = recordingIo({});

    // Act
    const code = await auditCommand(["--stack-name", "a", "--stack-name", "b"], io, { client: failing });

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toBe(
      "cors-key-pushdown audit: no AWS credentials found (Could not load credentials from any providers); set AWS_PROFILE, pass --profile, or configure credentials.\n",
    );
    expect(calls).toBe(2);
  });

  it("prints its help on --help and exits 0", async () => {
    // Arrange
    const io = recordingIo({});

    // Act
    const code = await auditCommand(["-h"], io);

    // Assert
    expect(code).toBe(0);
    expect(io.out()).toContain("--all");
  });
});
