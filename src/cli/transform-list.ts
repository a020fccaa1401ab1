import type { TextEdit } from "../cfn-yaml";
import type { JsonMap } from "../pushdown";
import { own } from "../pushdown/json";

/** The macro's transform name as users list it. */
export const MACRO_NAME = "CorsKeyPushdown";

/**
 * The edits that take the macro out of `Transform` once the CLI has applied it, so the output goes
 * straight to `sam build` or `cfn-lint`. One transform left is written as a plain name (SAM's own
 * style); several stay a list. `source` points at the remaining name so its quoting is kept.
 */
export function transformEdits(template: JsonMap, macroName: string): TextEdit[] {
  const transform = own(template, "Transform");
  if (transform === undefined) return [];
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
    .map(({ index }): TextEdit => ({ kind: "delete-item", path: ["Transform"], index }));
}

/** The SAM transform's name in `Transform`. */
const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

/**
 * Where the macro stands in `Transform`: `before-sam` when CloudFormation will run it on the SAM
 * template (it fixes the template at deploy time), `after-sam` when it would only see SAM's output and
 * change nothing, `absent` when it is not listed.
 */
export function macroPlacement(template: JsonMap, macroName: string): "before-sam" | "after-sam" | "absent" {
  const transform = own(template, "Transform");
  const names = Array.isArray(transform) ? transform : [transform];
  const macro = names.indexOf(macroName);
  if (macro < 0) return "absent";
  const sam = names.indexOf(SAM_TRANSFORM);
  return sam >= 0 && sam < macro ? "after-sam" : "before-sam";
}
