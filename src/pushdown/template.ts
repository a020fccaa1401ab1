import { TemplateShapeError } from "./errors";
import { describe, isIntrinsic, isMap, type Json, type JsonMap, own } from "./json";

/** Reads a map the rewrite depends on, or says where and what was expected. */
export function expectMap(value: Json | undefined, at: readonly string[], expected = "a map"): JsonMap {
  if (isMap(value)) return value;
  throw new TemplateShapeError(at, expected, describe(value));
}

/** Reads an optional map: absent or null is `undefined`, anything else but a map is an error. */
export function optionalMap(
  value: Json | undefined,
  at: readonly string[],
  expected = "a map",
): JsonMap | undefined {
  if (value === undefined || value === null) return undefined;
  return expectMap(value, at, expected);
}

/**
 * Reads an optional map of settings the rewrite may edit: like {@link optionalMap}, but an intrinsic
 * (`{"Fn::If": ...}`) is refused too, because a key written next to it would break it.
 */
export function optionalSettings(
  value: Json | undefined,
  at: readonly string[],
  expected: string,
): JsonMap | undefined {
  const map = optionalMap(value, at, expected);
  if (map !== undefined && isIntrinsic(map)) throw new TemplateShapeError(at, expected, describe(map));
  return map;
}

/**
 * The template's `Resources`, checked to be a map. Entries that are not maps are left to SAM, which
 * rejects them itself: without a `Type` they can be neither an API nor a route owner.
 */
export function resourcesOf(template: JsonMap): JsonMap {
  return expectMap(own(template, "Resources"), ["Resources"]);
}

/** A resource's `Type` when the resource is a map and its type a string. */
export function typeOf(resource: Json | undefined): string | undefined {
  const type = isMap(resource) ? own(resource, "Type") : undefined;
  return typeof type === "string" ? type : undefined;
}

/** A key that `AWS::LanguageExtensions` expands only after the macro ran: `Fn::ForEach::Name`. */
export function isForEachKey(key: string): boolean {
  return key.startsWith("Fn::ForEach::");
}
