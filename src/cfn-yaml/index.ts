/*
 * The YAML layer: reading a template file as the SAM CLI reads it (YAML 1.1 with CloudFormation's
 * short forms, or JSON), finding where a part of it is written, and editing its text in place.
 */
import type { Json } from "../pushdown";
import { readTemplateSource } from "./source";

export { applyTextEdits, type EditedText, editTemplateText, TemplateEditError, type TextEdit } from "./edit";
export { type Place, placeOf, type Step } from "./locate";
export { MAX_ALIAS_COUNT, type ParsedYaml, parseCfnYaml, TemplateSyntaxError } from "./read";
export { readTemplateSource, type TemplateSource } from "./source";

/**
 * Reads a template's text: JSON when it is JSON, CloudFormation YAML otherwise.
 *
 * @throws TemplateSyntaxError when the text is neither, or could be read differently by another reader
 */
export function parseTemplateText(text: string): { format: "json" | "yaml"; value: Json } {
  const { format, value } = readTemplateSource(text);
  return { format, value };
}
