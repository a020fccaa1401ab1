import { TemplateShapeError } from "./errors";
import { describe, isMap, type Json, type JsonMap, own } from "./json";

/** Reads a map the rewrite depends on, or says where and what was expected. */
export function expectMap(value: Json | undefined, at: string): JsonMap {
  if (isMap(value)) return value;
  throw new TemplateShapeError(at, "a map", describe(value));
}

/** Reads an optional map: absent or null is `undefined`, anything else but a map is an error. */
export function optionalMap(value: Json | undefined, at: string): JsonMap | undefined {
  if (value === undefined || value === null) return undefined;
  return expectMap(value, at);
}

/** The template's `Resources`, checked to be a map of maps. */
export function resourcesOf(template: JsonMap): JsonMap {
  const resources = expectMap(own(template, "Resources"), "Resources");
  for (const [id, resource] of Object.entries(resources)) expectMap(resource, `Resources.${id}`);
  return resources;
}

/** A resource's `Type` when it is a string. */
export function typeOf(resource: JsonMap): string | undefined {
  const type = own(resource, "Type");
  return typeof type === "string" ? type : undefined;
}
