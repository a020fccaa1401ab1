import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type CloudFormation,
  call,
  cloudFormationClient,
  connect,
  DEFAULT_LIMITS,
  worstCaseMs,
} from "../../src/aws/client";
import { AwsCallError } from "../../src/aws/errors";
import {
  clientWithSend,
  type Hostile,
  type HostileAnswer,
  SHORT_LIMITS,
  startHostile,
  testEnv,
} from "./support";

const target = { region: undefined, profile: undefined };

async function hostileCfn(how: HostileAnswer): Promise<{ server: Hostile; cfn: CloudFormation }> {
  const server = await startHostile(how);
  const client = cloudFormationClient(target, testEnv(server.endpoint), SHORT_LIMITS);
  return { server, cfn: await connect(client, { limits: SHORT_LIMITS }) };
}

async function failureOf(cfn: CloudFormation): Promise<AwsCallError> {
  const error = await call(cfn, "DescribeStacks", () =>
    cfn.client.send(new DescribeStacksCommand({ StackName: "any" })),
  ).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AwsCallError);
  return error as AwsCallError;
}

describe("request limits", () => {
  let server: Hostile | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("bound a request that never comes back to well under a minute by default", () => {
    // Arrange / Act
    const worst = worstCaseMs(DEFAULT_LIMITS);

    // Assert: 3 attempts of 12 s, plus the standard retry mode's longest back-off between them
    expect(worst).toBe(3 * 12_000 + 1_000 + 2_000);
    expect(worst).toBeLessThan(60_000);
  });

  it("are enforced by the SDK: a silent endpoint fails after the attempts and timeouts given, naming itself", async () => {
    // Arrange
    const hostile = await hostileCfn("silent");
    server = hostile.server;
    const started = Date.now();

    // Act
    const error = await failureOf(hostile.cfn);

    // Assert
    const elapsed = Date.now() - started;
    expect(error.kind).toBe("unreachable");
    expect(error.message).toBe(
      `CloudFormation DescribeStacks at ${hostile.server.endpoint}: no answer within 0.4 s, after 2 attempts; ` +
        "check the endpoint, your network and any proxy",
    );
    expect(hostile.server.requests()).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(2 * SHORT_LIMITS.requestTimeoutMs - 50);
    expect(elapsed).toBeLessThan(worstCaseMs(SHORT_LIMITS) + 1_000);
  });
  it("also cover an answer whose body stalls after the headers", async () => {
    // Arrange
    const hostile = await hostileCfn("stalled-body");
    server = hostile.server;
    const started = Date.now();

    // Act
    const error = await failureOf(hostile.cfn);

    // Assert
    expect(error.kind).toBe("unreachable");
    expect(error.message).toBe(
      `CloudFormation DescribeStacks at ${hostile.server.endpoint}: no answer within 0.4 s, after 2 attempts; ` +
        "check the endpoint, your network and any proxy",
    );
    expect(Date.now() - started).toBeLessThan(worstCaseMs(SHORT_LIMITS) + 1_000);
  });
});

describe("what a failed call says", () => {
  let server: Hostile | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it.each([
    [
      "garbage-xml",
      "unreadable",
      `answered HTTP 200 with a body that is not CloudFormation's XML: "<GetTemplateResponse><GetTemplateResult><TemplateBody>never closed"`,
    ],
    ["html-500", "unreadable", "answered HTTP 500 (text/html) without an AWS error code, after 2 attempts"],
    [
      "internal-failure",
      "failed",
      "InternalFailure (HTTP 500, after 2 attempts): The request processing has failed because of an unknown error.",
    ],
  ] as const)("%s: kind %s, the answer in words, no SDK internals", async (how, kind, detail) => {
    // Arrange
    const hostile = await hostileCfn(how);
    server = hostile.server;

    // Act
    const error = await failureOf(hostile.cfn);

    // Assert
    expect(error.kind).toBe(kind);
    expect(error.message).toBe(`CloudFormation DescribeStacks at ${hostile.server.endpoint}: ${detail}`);
    expect(error.message).not.toMatch(/hidden field|\$response|Deserialization/);
  });

  it("says the connection was refused when nothing listens", async () => {
    // Arrange: a port that was free a moment ago
    const closed = await startHostile("silent");
    await closed.stop();
    const client = cloudFormationClient(target, testEnv(closed.endpoint), SHORT_LIMITS);
    const cfn = await connect(client, { limits: SHORT_LIMITS });

    // Act
    const error = await failureOf(cfn);

    // Assert
    expect(error.kind).toBe("unreachable");
    expect(error.message).toMatch(
      new RegExp(`^CloudFormation DescribeStacks at ${closed.endpoint}: connection refused \\(ECONNREFUSED`),
    );
  });

  it("names the profile when it has no credentials", async () => {
    // Arrange
    const client = clientWithSend(async () => {
      throw Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      });
    });
    const cfn = await connect(client, { profile: "prod" });

    // Act
    const error = await failureOf(cfn);

    // Assert
    expect(error.kind).toBe("setup");
    expect(error.message).toBe(
      'no usable credentials for profile "prod" (Could not load credentials from any providers); check ~/.aws/config or run aws sso login --profile prod',
    );
  });

  it("keeps CloudFormation's own refusals, with their code", async () => {
    // Arrange
    const client = clientWithSend(async () => {
      throw Object.assign(new Error("Stack with id any does not exist"), {
        name: "ValidationError",
        $fault: "client",
        $metadata: { httpStatusCode: 400, attempts: 1 },
      });
    });
    const cfn = await connect(client);

    // Act
    const error = await failureOf(cfn);

    // Assert
    expect(error.kind).toBe("refused");
    expect(error.code).toBe("ValidationError");
    expect(error.detail).toBe("ValidationError: Stack with id any does not exist");
  });
});

describe("connect", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("refuses a client without a region before any request, saying how to set one", async () => {
    // Arrange: no region anywhere; the SDK also reads the process's environment and config file
    vi.stubEnv("AWS_REGION", undefined);
    vi.stubEnv("AWS_DEFAULT_REGION", undefined);
    vi.stubEnv("AWS_PROFILE", undefined);
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/ckp-config");
    const client = cloudFormationClient(target, {});

    // Act
    const attempt = connect(client);

    // Assert
    await expect(attempt).rejects.toMatchObject({
      kind: "setup",
      message: "no AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile",
    });
  });

  it("names AWS's own endpoint for the region when none is configured", async () => {
    // Arrange
    const client = cloudFormationClient({ region: "eu-west-1", profile: undefined }, {});

    // Act
    const cfn = await connect(client);

    // Assert
    expect(cfn.endpoint).toBe("https://cloudformation.eu-west-1.amazonaws.com");
    expect(cfn.region).toBe("eu-west-1");
  });

  it("takes the endpoint from AWS_ENDPOINT_URL when there is no CloudFormation-specific one", async () => {
    // Arrange
    const client = cloudFormationClient(target, {
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
    });

    // Act
    const cfn = await connect(client);

    // Assert
    expect(cfn.endpoint).toBe("http://127.0.0.1:9");
  });
});
