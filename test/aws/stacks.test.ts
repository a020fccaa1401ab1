import { afterEach, describe, expect, it } from "vitest";
import { type CloudFormation, cloudFormationClient, connect } from "../../src/aws/client";
import { describeStack, listDeployedStacks, readTemplate, TEMPLATE_SIZE_LIMIT } from "../../src/aws/stacks";
import { type Hostile, type HostileAnswer, SHORT_LIMITS, startHostile, testEnv } from "./support";

// An alias bomb: ten aliases of ten aliases of ... expands to 10^5 nodes, far past the CLI's alias limit,
// while the text stays tiny (and PyYAML, which shares aliased nodes, reads it without noticing).
const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
  "Resources: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
  "",
].join("\n");

describe("reading a stack's template", () => {
  let server: Hostile | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  const against = async (how: HostileAnswer): Promise<CloudFormation> => {
    server = await startHostile(how);
    return connect(
      cloudFormationClient({ region: undefined, profile: undefined }, testEnv(server.endpoint), SHORT_LIMITS),
    );
  };

  it("parses a JSON body", async () => {
    // Arrange
    const cfn = await against({ templateBody: '{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}' });

    // Act
    const template = await readTemplate(cfn, { stack: "orders", stage: "Processed" });

    // Assert
    expect(template).toEqual({ Resources: { Topic: { Type: "AWS::SNS::Topic" } } });
  });

  it("refuses an answer without a template body instead of reading it as an empty template", async () => {
    // Arrange
    const cfn = await against("empty-200");

    // Act
    const attempt = readTemplate(cfn, { stack: "orders", stage: "Processed" });

    // Assert
    await expect(attempt).rejects.toMatchObject({
      kind: "unreadable",
      message: `CloudFormation GetTemplate at ${server?.endpoint}: answered without a template body for orders`,
    });
  });

  it("applies the CLI's alias limit to YAML bodies", async () => {
    // Arrange
    const cfn = await against({ templateBody: ALIAS_BOMB });

    // Act
    const attempt = readTemplate(cfn, { stack: "orders", stage: "Processed" });

    // Assert
    await expect(attempt).rejects.toMatchObject({
      kind: "unreadable",
      detail:
        "answered with a template for orders that cannot be read: too many aliases (more than 10000 expanded nodes)",
    });
  });

  it("refuses a body over the size limit before parsing it", async () => {
    // Arrange: valid JSON, just too big
    const body = JSON.stringify({ Description: "x".repeat(TEMPLATE_SIZE_LIMIT), Resources: {} });
    const cfn = await against({ templateBody: body });

    // Act
    const attempt = readTemplate(cfn, { stack: "orders", stage: "Processed" });

    // Assert
    await expect(attempt).rejects.toMatchObject({
      kind: "unreadable",
      detail: `answered with a ${Buffer.byteLength(body)}-byte template for orders, over the ${TEMPLATE_SIZE_LIMIT} bytes this tool reads`,
    });
  });
});

describe("answers without what they must hold", () => {
  let server: Hostile | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  it("DescribeStacks without the stack is an error, not a missing stack", async () => {
    // Arrange
    server = await startHostile("empty-200");
    const cfn = await connect(
      cloudFormationClient({ region: undefined, profile: undefined }, testEnv(server.endpoint)),
    );

    // Act
    const attempt = describeStack(cfn, "cors-key-pushdown");

    // Assert
    await expect(attempt).rejects.toMatchObject({
      kind: "unreadable",
      detail: "answered without the id and status of stack cors-key-pushdown",
    });
  });

  it("ListStacks without a list is an error, not an empty region", async () => {
    // Arrange
    server = await startHostile("empty-200");
    const cfn = await connect(
      cloudFormationClient({ region: undefined, profile: undefined }, testEnv(server.endpoint)),
    );

    // Act
    const attempt = listDeployedStacks(cfn);

    // Assert
    await expect(attempt).rejects.toMatchObject({
      kind: "unreadable",
      message: `CloudFormation ListStacks at ${server.endpoint}: answered without a list of stacks`,
    });
  });
});
