import type { Json } from "../pushdown";
import { type ParsedYaml, parseCfnYaml, TemplateSyntaxError } from "./read";
import { isShortForm } from "./tags";

export { type ParsedYaml, parseCfnYaml, TemplateSyntaxError } from "./read";

/** True when `!Name` is CloudFormation's short form of `Fn::Name` (writers use it to emit short forms). */
export function isShortFormFunction(name: string): boolean {
  return name !== "Ref" && name !== "Condition" && isShortForm(`!${name}`);
}

/** Parses a template file's text: JSON when it looks like JSON, CloudFormation YAML otherwise. */
export function parseTemplateText(text: string): { format: "json" | "yaml"; value: Json; yaml?: ParsedYaml } {
  if (/^\s*[{[]/.test(text)) {
    try {
      return { format: "json", value: JSON.parse(text) as Json };
    } catch (error) {
      const match = /position (\d+)/.exec(String(error));
      const line = match ? text.slice(0, Number(match[1])).split("\n").length : undefined;
      throw new TemplateSyntaxError(`invalid JSON: ${(error as Error).message}`, line);
    }
  }
  const yaml = parseCfnYaml(text);
  return { format: "yaml", value: yaml.value, yaml };
}
