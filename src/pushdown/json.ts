/** A value as CloudFormation hands it over: JSON, with intrinsics as one-key maps. */
export type Json = null | boolean | number | string | Json[] | JsonMap;
/** A JSON object. Keys may be anything a template holds, `__proto__` included. */
export type JsonMap = { [key: string]: Json };

/** True for a plain JSON object (not an array, not null). */
export function isMap(value: unknown): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own-property lookup, so `__proto__` and friends are read as data, never as the prototype. */
export function own(map: JsonMap, key: string): Json | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Defines `key` as a data property, so a `__proto__` key stays a key and never becomes the prototype. */
export function defineKey<T>(map: { [key: string]: T }, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The value at `path` (map keys, list indexes), read as own data; `undefined` when any step is
 * missing, so an absent key and a written `null` stay apart.
 */
export function valueAt(root: Json, path: readonly (string | number)[]): Json | undefined {
  let node: Json | undefined = root;
  for (const step of path) {
    if (typeof step === "number") node = Array.isArray(node) && step < node.length ? node[step] : undefined;
    else node = isMap(node) ? own(node, step) : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** True when the map carries `key` itself, even with a null value. */
export function hasOwn(map: JsonMap, key: string): boolean {
  return Object.hasOwn(map, key);
}

/**
 * Truthiness as the SAM translator (Python) sees it: `false`, `0`, `""`, `null`, `[]` and `{}` are
 * false; everything else, including intrinsics such as `{"Ref": "P"}` and the string `"false"`, is true.
 */
export function isTruthy(value: Json | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

/** True for a one-key map naming an intrinsic function (`Ref`, `Fn::If`, ...). */
export function isIntrinsic(value: Json | undefined): boolean {
  if (!isMap(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || (keys[0]?.startsWith("Fn::") ?? false));
}

/** True for a map of plain keys: a map that is not an intrinsic, so its keys can be read and merged. */
export function isPlainMap(value: Json | undefined): value is JsonMap {
  return isMap(value) && !isIntrinsic(value);
}

/** Deep equality of templates; key order does not matter to CloudFormation. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return a !== 0 || Object.is(a, b);
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const mapA = a as Record<string, unknown>;
  const mapB = b as Record<string, unknown>;
  return keysA.every((key) => Object.hasOwn(mapB, key) && sameJson(mapA[key], mapB[key]));
}

/** A short, single-line rendering of a value for messages. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (isMap(value)) return isIntrinsic(value) ? `the intrinsic ${Object.keys(value)[0]}` : "a map";
  const text = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  return text ? `${typeof value} ${JSON.stringify(value).slice(0, 60)}` : typeof value;
}
