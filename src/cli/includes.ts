import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { readTemplateSource } from "../cfn-yaml";
import type { Json, JsonMap, TemplatePath } from "../pushdown";
import { errorMessage } from "../pushdown";
import { defineKey, isMap, own } from "../pushdown/json";
import { CliError } from "./errors";
import { decodeUtf8 } from "./io";

/** A `DefinitionBody` brought in from a local file, as CloudFormation's `AWS::Include` would. */
export interface InlinedBody {
  /** Where the body is in the template: `["Resources", "Api", "Properties", "DefinitionBody"]`. */
  readonly at: TemplatePath;
  /** The file's name as the template gives it. */
  readonly location: string;
}

/**
 * The template with every API's `DefinitionBody: {Fn::Transform: {Name: AWS::Include, Parameters:
 * {Location: ./file}}}` replaced by that local file's content, read relative to `baseDir`. This is the
 * template the deployed macro sees (CloudFormation processes `AWS::Include` before the template's
 * macros), so the CLI decides on it too. Locations that are not local files (`s3://`, intrinsics) are
 * left as they are. The input is not changed.
 *
 * @throws CliError when a local file cannot be read, is not UTF-8, or is neither YAML nor JSON
 */
export function inlineIncludes(
  template: JsonMap,
  baseDir: string,
  lineOf: (path: TemplatePath) => number,
): { template: JsonMap; inlined: InlinedBody[] } {
  const resources = template.Resources;
  if (!isMap(resources)) return { template, inlined: [] };
  const inlined: InlinedBody[] = [];
  let copy: JsonMap | undefined;
  for (const id of Object.keys(resources)) {
    const resource = resources[id];
    if (!isMap(resource) || resource.Type !== "AWS::Serverless::Api") continue;
    const properties = own(resource, "Properties");
    const location = includeLocation(isMap(properties) ? own(properties, "DefinitionBody") : undefined);
    if (location === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(location)) continue;
    const at = ["Resources", id, "Properties", "DefinitionBody"];
    const body = readInclude(resolve(baseDir, location), location, lineOf(at));
    copy ??= withKey(template, "Resources", { ...resources });
    const copiedResources = copy.Resources as JsonMap;
    const copiedResource = withKey(
      resource,
      "Properties",
      withKey(properties as JsonMap, "DefinitionBody", body),
    );
    defineKey(copiedResources, id, copiedResource);
    inlined.push({ at, location });
  }
  return { template: copy ?? template, inlined };
}

/** The `Location` of an `AWS::Include` written as the whole value, when it is a plain string. */
function includeLocation(body: Json | undefined): string | undefined {
  if (!isMap(body) || Object.keys(body).length !== 1) return undefined;
  const transform = own(body, "Fn::Transform");
  if (!isMap(transform) || own(transform, "Name") !== "AWS::Include") return undefined;
  const parameters = own(transform, "Parameters");
  const location = isMap(parameters) ? own(parameters, "Location") : undefined;
  return typeof location === "string" && location !== "" ? location : undefined;
}

function readInclude(path: string, location: string, line: number): Json {
  const where = `DefinitionBody includes ${location}`;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : String(code ?? error);
    throw new CliError(`${where}: ${why} (read relative to the template)`, { line });
  }
  try {
    return readTemplateSource(decodeUtf8(bytes)).value;
  } catch (error) {
    throw new CliError(`${where}: ${errorMessage(error)}`, { line });
  }
}

/** A copy of `map` with `key` set; spread and {@link defineKey} keep a `__proto__` key a key. */
function withKey(map: JsonMap, key: string, value: Json): JsonMap {
  const copy: JsonMap = { ...map };
  defineKey(copy, key, value);
  return copy;
}
