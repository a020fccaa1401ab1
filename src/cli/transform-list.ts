import type { TemplateEdit } from "../cfn-yaml/template-edit";
import type { Json, JsonMap } from "../pushdown";

export type { TemplateEdit } from "../cfn-yaml/template-edit";

/** The macro's transform name as users list it. */
export const MACRO_NAME = "CorsKeyPushdown";

/**
 * The edits that take the macro out of `Transform` once the CLI has applied it, so the output goes
 * straight to `sam build` or `cfn-lint`. One transform left is written as a plain name (SAM's own
 * style); several stay a list. `source` points at the remaining name so its quoting is kept.
 */
export function transformEdits(template: JsonMap, macroName: string): TemplateEdit[] {
  if (!Object.hasOwn(template, "Transform")) return [];
  const transform = template.Transform;
  if (transform === macroName) return [{ kind: "delete", path: ["Transform"] }];
  if (!Array.isArray(transform)) return [];
  const kept = transform.map((name, index) => ({ name, index })).filter(({ name }) => name !== macroName);
  if (kept.length === transform.length) return [];
  if (kept.length === 0) return [{ kind: "delete", path: ["Transform"] }];
  const only = kept[0];
  if (kept.length === 1 && only !== undefined)
    return [{ kind: "set", path: ["Transform"], value: only.name, source: ["Transform", only.index] }];
  return transform
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => name === macroName)
    .reverse()
    .map(({ index }) => ({ kind: "delete-item", path: ["Transform"], index }));
}

/** The template with the macro taken out of `Transform`; other keys are shared, order is kept. */
export function withoutMacro(template: JsonMap, macroName: string): JsonMap {
  const edits = transformEdits(template, macroName);
  if (edits.length === 0) return template;
  const result: JsonMap = {};
  for (const [key, value] of Object.entries(template)) {
    if (key !== "Transform") {
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const transformed = transformedValue(value, edits);
    if (transformed !== undefined) result.Transform = transformed;
  }
  return result;
}

function transformedValue(value: Json, edits: readonly TemplateEdit[]): Json | undefined {
  let current: Json | undefined = value;
  for (const edit of edits) {
    if (edit.kind === "delete") current = undefined;
    else if (edit.kind === "set") current = edit.value;
    else if (Array.isArray(current)) current = current.filter((_item, index) => index !== edit.index);
  }
  return current;
}

/** The SAM transform's name in `Transform`. */
const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

/**
 * Where the macro stands in `Transform`: `before-sam` when CloudFormation will run it on the SAM
 * template (it fixes the template at deploy time), `after-sam` when it would only see SAM's output and
 * change nothing, `absent` when it is not listed.
 */
export function macroPlacement(template: JsonMap, macroName: string): "before-sam" | "after-sam" | "absent" {
  const transform = Object.hasOwn(template, "Transform") ? template.Transform : undefined;
  const names = Array.isArray(transform) ? transform : [transform];
  const macro = names.indexOf(macroName);
  if (macro < 0) return "absent";
  const sam = names.indexOf(SAM_TRANSFORM);
  return sam >= 0 && sam < macro ? "after-sam" : "before-sam";
}
