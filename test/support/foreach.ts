import type { Json, JsonMap } from "../../src/pushdown";
import { isMap } from "../../src/pushdown/json";

/**
 * What `AWS::LanguageExtensions` does to `Fn::ForEach` blocks, for the test templates only, so a
 * template that lists the macro before that transform can go through the real SAM translator (which
 * does not expand them itself). Handles what the corpus uses: a literal list or a `CommaDelimitedList`
 * parameter's default as the collection, `${Id}` and `&{Id}` in keys and strings, `{Ref: Id}` in values,
 * and nested loops.
 */
export function expandForEach(template: Json): Json {
  if (!isMap(template)) return template;
  const parameters = isMap(template.Parameters) ? template.Parameters : {};
  return expand(template, {}, parameters) as Json;
}

function expand(value: Json, bindings: Record<string, string>, parameters: JsonMap): Json {
  if (Array.isArray(value)) return value.map((item) => expand(item, bindings, parameters));
  if (typeof value === "string") return substitute(value, bindings);
  if (!isMap(value)) return value;
  const ref = value.Ref;
  if (Object.keys(value).length === 1 && typeof ref === "string" && Object.hasOwn(bindings, ref))
    return bindings[ref] as string;
  const result: JsonMap = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!key.startsWith("Fn::ForEach::")) {
      result[substitute(key, bindings)] = expand(inner, bindings, parameters);
      continue;
    }
    const [identifier, collection, body] = inner as [string, Json, JsonMap];
    for (const item of items(collection, parameters)) {
      const inside = { ...bindings, [identifier]: item };
      Object.assign(result, expand(body, inside, parameters));
    }
  }
  return result;
}

function items(collection: Json, parameters: JsonMap): string[] {
  if (Array.isArray(collection)) return collection.map(String);
  const name = isMap(collection) ? collection.Ref : undefined;
  const parameter = typeof name === "string" ? parameters[name] : undefined;
  const fallback = isMap(parameter) ? parameter.Default : undefined;
  if (typeof fallback === "string") return fallback.split(",").map((item) => item.trim());
  throw new Error(`expandForEach: cannot read the collection ${JSON.stringify(collection)}`);
}

function substitute(text: string, bindings: Record<string, string>): string {
  return text.replace(/([$&])\{([A-Za-z0-9_]+)\}/g, (whole, sigil: string, name: string) => {
    const bound = bindings[name];
    if (bound === undefined) return whole;
    return sigil === "&" ? bound.replace(/[^A-Za-z0-9]/g, "") : bound;
  });
}
