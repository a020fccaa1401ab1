import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Stack } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { macroNameOf, outputsSayCorsKeyPushdown, registersCorsKeyPushdown } from "../../src/aws/macro-stack";
import { parseTemplateText } from "../../src/cfn-yaml";

const macroRegistration = {
  Type: "AWS::CloudFormation::Macro",
  Properties: { Name: "X", FunctionName: "arn:f" },
};

describe("telling the macro's stack from any other", () => {
  it.each([
    ["dist/macro.template.json", readFileSync(resolve("dist/macro.template.json"), "utf8")],
    [
      "template.yaml (what SAM deployments keep as their original template)",
      readFileSync(resolve("template.yaml"), "utf8"),
    ],
  ])("recognises %s", (_name, text) => {
    // Arrange
    const template = parseTemplateText(text).value;

    // Act
    const ours = registersCorsKeyPushdown(template);

    // Assert
    expect(ours).toBe(true);
  });

  it.each([
    ["another macro", { Description: "Some other macro", Resources: { Macro: macroRegistration } }],
    ["the description without a macro", { Description: "CorsKeyPushdown macro - copy", Resources: {} }],
    ["an application", { Resources: { Topic: { Type: "AWS::SNS::Topic" } } }],
    ["not a template", ["CorsKeyPushdown macro"]],
  ])("does not take %s for it", (_name, template) => {
    // Arrange: the template above

    // Act
    const ours = registersCorsKeyPushdown(template);

    // Assert
    expect(ours).toBe(false);
  });

  it("reads the stack's own description and outputs, and the macro name they give", () => {
    // Arrange
    const stack: Stack = {
      StackName: "cors-key-pushdown",
      StackStatus: "UPDATE_COMPLETE",
      CreationTime: new Date(),
      Description: "CorsKeyPushdown macro - pushes an API-level ApiKeyRequired down to the routes",
      Outputs: [
        { OutputKey: "MacroName", OutputValue: "OrgCorsFix" },
        { OutputKey: "MacroFunctionArn", OutputValue: "arn:aws:lambda:us-east-1:123456789012:function:f" },
      ],
      Parameters: [{ ParameterKey: "MacroName", ParameterValue: "Stale" }],
    };

    // Act
    const ours = outputsSayCorsKeyPushdown(stack);
    const foreign = outputsSayCorsKeyPushdown({ ...stack, Description: "Orders API" });

    // Assert
    expect(ours).toBe(true);
    expect(foreign).toBe(false);
    expect(macroNameOf(stack)).toBe("OrgCorsFix");
    expect(macroNameOf({ ...stack, Outputs: [] })).toBe("Stale");
  });
});
