import type { Document, Node } from "yaml";
import { parseCfnYaml, parseTemplateText } from "../cfn-yaml";
import { editDocument } from "../cfn-yaml/document-edit";
import {
  detachedClone,
  detectLayout,
  documentText,
  indexNodes,
  nodeAt,
  nodeFromJson,
} from "../cfn-yaml/nodes";
import { SourceLines } from "../cfn-yaml/source-lines";
import { SpliceUnsupported, spliceEdits } from "../cfn-yaml/splice";
import { applyEdits, type Json, type JsonMap, type PushdownReport, planPushdown } from "../pushdown";
import { macroPlacement, type TemplateEdit, transformEdits, withoutMacro } from "./transform-list";

/** How much of the source layout the YAML output kept. */
export type Fidelity =
  /** Every unchanged byte kept: only the edited keys differ. */
  | "exact"
  /** Re-stringified from the edited document: comments and tags kept, some lines re-indented. */
  | "document"
  /** Written afresh from the rewritten template: comments lost. */
  | "fresh";

/** The rewritten template as text, with what the core decided. */
export interface Rewritten {
  readonly format: "json" | "yaml";
  readonly output: string;
  readonly template: JsonMap;
  readonly report: PushdownReport;
  /** Whether the pushdown itself changed the template (the Transform clean-up does not count). */
  readonly changed: boolean;
  readonly fidelity: Fidelity;
  readonly lines: SourceLines;
  /** Whether `Transform` listed the macro. */
  readonly listsMacro: boolean;
  /** Where `Transform` listed the macro, relative to the SAM transform. */
  readonly macroPlacement: ReturnType<typeof macroPlacement>;
}

const BOM = "\uFEFF";

/**
 * Runs the same core as the Lambda on a template file's text and writes the result in the input's
 * format, with the macro taken out of `Transform`. YAML keeps the user's text wherever nothing changed.
 *
 * @throws TemplateSyntaxError when the text is not YAML or JSON
 * @throws TemplateShapeError when the template is not of the shape SAM accepts
 */
export function rewriteTemplate(source: string, macroName: string): Rewritten {
  const bom = source.startsWith(BOM) ? BOM : "";
  const text = source.slice(bom.length);
  const parsed = parseTemplateText(text);
  const plan = planPushdown(parsed.value);
  const macroEdits = transformEdits(plan.root, macroName);
  const template = withoutMacro(applyEdits(plan.root, plan.edits), macroName);
  const common = {
    template,
    report: plan.report,
    changed: plan.edits.length > 0,
    lines: SourceLines.of(text, parsed.yaml),
    listsMacro: macroEdits.length > 0,
    macroPlacement: macroPlacement(plan.root, macroName),
  };
  if (parsed.format === "json" || parsed.yaml === undefined) {
    return { ...common, format: "json", output: bom + jsonText(template, text), fidelity: "exact" };
  }
  const edits: TemplateEdit[] = [...plan.edits, ...macroEdits];
  const { output, fidelity } = yamlText(text, parsed.yaml.document, parsed.value, edits, template);
  return { ...common, format: "yaml", output: bom + output, fidelity };
}

/** JSON with the input's indentation (two spaces when it has none to copy) and its final newline. */
function jsonText(template: JsonMap, text: string): string {
  const trimmed = text.trimEnd();
  const indent = /^[{[][ \t]*\r?\n([ \t]+)\S/.exec(trimmed.trimStart())?.[1];
  const oneLine = !trimmed.includes("\n");
  const body = JSON.stringify(template, null, oneLine ? undefined : (indent ?? 2));
  return /\n$/.test(text) ? `${body}\n` : body;
}

function yamlText(
  text: string,
  document: Document,
  value: Json,
  edits: readonly TemplateEdit[],
  expected: JsonMap,
): { output: string; fidelity: Fidelity } {
  if (edits.length === 0) return { output: text, fidelity: "exact" };
  const layout = detectLayout(text);
  const index = indexNodes(document, value);
  const valueNode = (edit: Extract<TemplateEdit, { kind: "set" }>): Node => {
    const source = edit.source ? nodeAt(document, edit.source).node : undefined;
    const original =
      source ?? (typeof edit.value === "object" && edit.value !== null ? index.get(edit.value) : undefined);
    const copyOf = (value: object) => {
      const node = index.get(value);
      return node && detachedClone(node);
    };
    return (original && detachedClone(original)) ?? nodeFromJson(edit.value, copyOf);
  };
  try {
    const spliced = spliceEdits(text, document, edits, valueNode, layout);
    if (means(spliced, expected)) return { output: spliced, fidelity: "exact" };
  } catch (error) {
    if (!(error instanceof SpliceUnsupported)) throw error;
  }
  editDocument(document, edits, valueNode);
  const edited = documentText(document, layout);
  if (means(edited, expected)) return { output: edited, fidelity: "document" };
  const fresh = documentText(nodeFromJson(expected), layout);
  if (means(fresh, expected)) return { output: fresh, fidelity: "fresh" };
  throw new Error("could not write YAML that reads back as the rewritten template");
}

/** True when the YAML text reads back as exactly the expected template, key order included. */
function means(yaml: string, expected: JsonMap): boolean {
  try {
    return JSON.stringify(parseCfnYaml(yaml).value) === JSON.stringify(expected);
  } catch {
    return false;
  }
}
