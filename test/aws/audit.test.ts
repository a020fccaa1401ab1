import {
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  GetTemplateCommand,
  ListStacksCommand,
} from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudFormationClient } from "../../src/aws/client";
import { auditCommand } from "../../src/cli/commands/audit";
import {
  clientWithSend,
  MOTO_INSTALL,
  type Moto,
  motoEnv,
  recordingIo,
  requireTool,
  startMoto,
} from "./support";

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

const moto = requireTool("moto_server", MOTO_INSTALL);

describe.skipIf(!moto.available)(`audit against moto${moto.note}`, () => {
  let server: Moto;
  let env: Record<string, string>;
  let client: CloudFormationClient;

  beforeAll(async () => {
    server = await startMoto();
    env = motoEnv(server.endpoint);
    client = cloudFormationClient({ region: undefined, profile: undefined }, recordingIo(env));
    const create = (name: string, body: string) =>
      client.send(new CreateStackCommand({ StackName: name, TemplateBody: body }));
    await create("orders", KEYED_YAML);
    await create("users", CLEAN_JSON);
    await create("topics", NO_API_JSON);
    await create("gone", KEYED_YAML);
    await client.send(new DeleteStackCommand({ StackName: "gone" }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const run = async (argv: string[]) => {
    const io = recordingIo(env);
    const code = await auditCommand(argv, io);
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

  it("lists each keyed preflight of a YAML stack and exits 1", async () => {
    // Arrange: the "orders" stack

    // Act
    const result = await run(["--stack-name", "orders"]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.out).toBe("orders\tOrdersApi\t/orders\norders\tOrdersApi\t/orders/{id}\n");
    expect(result.err).toContain(
      "2 CORS preflights requiring an API key, in 1 API of 1 stack (1 stack checked in us-east-1)",
    );
  });

  it("exits 0 for a JSON stack whose preflight needs no key", async () => {
    // Arrange: the "users" stack

    // Act
    const result = await run(["--stack-name", "users", "--stack-name", "topics"]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.out).toBe("");
    expect(result.err).toContain("No CORS preflight requires an API key (2 stacks checked in us-east-1)");
  });

  it("checks every live stack with --all, skipping deleted ones", async () => {
    // Arrange: four stacks, one of them deleted

    // Act
    const result = await run(["--all"]);

    // Assert
    expect(result.code).toBe(1);
    expect(result.out.split("\n").filter(Boolean)).toEqual([
      "orders\tOrdersApi\t/orders",
      "orders\tOrdersApi\t/orders/{id}",
    ]);
    expect(result.err).toContain("(3 stacks checked in us-east-1)");
  });

  it("exits 2 and says so when a named stack cannot be read", async () => {
    // Arrange: no stack is called "missing"

    // Act
    const result = await run(["--stack-name", "missing", "--stack-name", "orders"]);

    // Assert
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /stack missing: could not read its processed template: ValidationError: .*missing/,
    );
    expect(result.err).toContain("Audit incomplete: 1 stack(s) could not be read.");
    expect(result.out).toContain("orders\tOrdersApi\t/orders\n");
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

  it("exits 2 without a region, before reading any stack", async () => {
    // Arrange: a client that resolved no region fails on its first call
    const failing = clientWithSend(async () => {
      throw new Error("Region is missing");
    });
    const io = recordingIo({});

    // Act
    const code = await auditCommand(["--all"], io, { client: failing });

    // Assert
    expect(code).toBe(2);
    expect(io.err()).toContain("no AWS region: pass --region");
  });

  it("exits 2 once, naming the cause, when credentials are missing for named stacks", async () => {
    // Arrange
    const failing = clientWithSend(async () => {
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
      "cors-key-pushdown audit: no AWS credentials found (Could not load credentials from any providers); set AWS_PROFILE, pass --profile, or configure credentials\n",
    );
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
