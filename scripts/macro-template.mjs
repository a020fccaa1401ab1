// Writes dist/macro.template.json: the macro as plain CloudFormation, deployable without SAM and without an
// S3 bucket, because the Lambda code travels inline as Code.ZipFile.
//
// template.yaml is the one description of the deployment; this script converts it rather than repeating it,
// so runtime, memory, role and macro name cannot differ between the two ways of deploying.
import { readFile, writeFile } from "node:fs/promises";
import { parse } from "yaml";

/** CloudFormation's limit for a template passed in the request body instead of through S3. */
export const TEMPLATE_BODY_LIMIT = 51_200;

// SAM function properties that mean the same on AWS::Lambda::Function. Anything else (Events, Policies,
// Tags as a map, ...) would need SAM to expand it, so it is refused rather than silently dropped.
const SAME_ON_LAMBDA = new Set([
  "Description",
  "Runtime",
  "Architectures",
  "Timeout",
  "MemorySize",
  "Role",
  "LoggingConfig",
  "Environment",
]);

/**
 * Converts the SAM template text into plain CloudFormation with `handlerCode` inline.
 * Lambda writes inline code to `index.js`, hence the handler `index.handler`.
 *
 * @param {string} samText template.yaml's text
 * @param {string} handlerCode dist/handler.js's text
 * @returns {Record<string, unknown>} the CloudFormation template
 */
export function toMacroTemplate(samText, handlerCode) {
  const sam = parse(samText);
  if (typeof sam !== "object" || sam === null || typeof sam.Resources !== "object" || sam.Resources === null)
    throw new Error("template.yaml: expected a map with a Resources section");
  const resources = {};
  let functions = 0;
  for (const [id, resource] of Object.entries(sam.Resources)) {
    if (resource.Type === "AWS::Serverless::Function") {
      functions += 1;
      resources[id] = inlineFunction(id, resource, handlerCode);
    } else if (String(resource.Type).startsWith("AWS::Serverless::")) {
      throw new Error(
        `template.yaml: ${id} is ${resource.Type}; only AWS::Serverless::Function can be converted`,
      );
    } else {
      resources[id] = resource;
    }
  }
  if (functions !== 1)
    throw new Error(`template.yaml: expected exactly one AWS::Serverless::Function, found ${functions}`);
  // Same section order as template.yaml, minus the Transform that only SAM understands.
  /** @type {Record<string, unknown>} */
  const template = {};
  for (const [section, value] of Object.entries(sam)) {
    if (section !== "Transform") template[section] = section === "Resources" ? resources : value;
  }
  return template;
}

function inlineFunction(id, resource, handlerCode) {
  const { Type: _type, Metadata: _build, Properties = {}, ...attributes } = resource;
  const properties = {};
  for (const [name, value] of Object.entries(Properties)) {
    if (name === "CodeUri" || name === "Handler") continue;
    if (!SAME_ON_LAMBDA.has(name))
      throw new Error(
        `template.yaml: ${id}.Properties.${name} has no plain CloudFormation equivalent in scripts/macro-template.mjs; ` +
          `expected only ${[...SAME_ON_LAMBDA].join(", ")}, CodeUri and Handler`,
      );
    properties[name] = value;
  }
  return {
    Type: "AWS::Lambda::Function",
    ...attributes,
    Properties: { ...properties, Handler: "index.handler", Code: { ZipFile: handlerCode } },
  };
}

/**
 * Builds dist/macro.template.json from template.yaml and dist/handler.js. Fails when the result is over
 * CloudFormation's 51,200-byte limit for templates sent without S3, or when the inline code would not be
 * byte for byte the bundle.
 *
 * @param {{samPath?: string, handlerPath?: string, outPath?: string, limit?: number}} [options] paths for tests
 * @returns {Promise<{path: string, bytes: number}>}
 */
export async function writeMacroTemplate(options = {}) {
  const {
    samPath = "template.yaml",
    handlerPath = "dist/handler.js",
    outPath = "dist/macro.template.json",
    limit = TEMPLATE_BODY_LIMIT,
  } = options;
  const codeBytes = await readFile(handlerPath);
  const code = codeBytes.toString("utf8");
  // A bundle that is not valid UTF-8 would change on its way through JSON; Lambda would then run other code.
  if (!Buffer.from(code, "utf8").equals(codeBytes))
    throw new Error(`${handlerPath}: expected UTF-8 text, so it can be inlined unchanged`);
  const template = toMacroTemplate(await readFile(samPath, "utf8"), code);
  const text = `${JSON.stringify(template, null, 2)}\n`;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > limit)
    throw new Error(
      `${outPath} would be ${bytes} bytes; CloudFormation accepts at most ${limit} bytes without an S3 bucket. ` +
        `Make ${handlerPath} smaller (it is ${codeBytes.length} bytes), or deploy with SAM (sam build && sam deploy).`,
    );
  await writeFile(outPath, text);
  return { path: outPath, bytes };
}
