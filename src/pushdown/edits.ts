import { isMap, type Json, type JsonMap } from "./json";

/** One change to the template: set a key (appended if new, in place if present) or delete it. */
export type Edit =
  | { readonly kind: "set"; readonly path: readonly string[]; readonly value: Json }
  | { readonly kind: "delete"; readonly path: readonly string[] };

/** Renders a path the way users read it: `Resources.MyFn.Properties.Events.Get`. */
export function pathText(path: readonly string[]): string {
  return path.join(".");
}

/**
 * Applies edits without touching the input: only the maps on the way to an edited key are copied
 * (keeping their key order), everything else is shared with the input.
 */
export function applyEdits(root: JsonMap, edits: readonly Edit[]): JsonMap {
  if (edits.length === 0) return root;
  const copied = new Set<JsonMap>();
  const copy = (map: JsonMap): JsonMap => {
    // Spread defines own data properties, so a `__proto__` key stays a key and never becomes the prototype.
    const clone: JsonMap = { ...map };
    copied.add(clone);
    return clone;
  };
  const result = copy(root);
  for (const edit of edits) {
    const parent = mapAt(result, edit.path.slice(0, -1), copied, copy);
    const key = edit.path[edit.path.length - 1] as string;
    if (edit.kind === "set") defineKey(parent, key, edit.value);
    else delete parent[key];
  }
  return result;
}

function mapAt(
  root: JsonMap,
  path: readonly string[],
  copied: Set<JsonMap>,
  copy: (map: JsonMap) => JsonMap,
): JsonMap {
  let node = root;
  for (const key of path) {
    const child = Object.hasOwn(node, key) ? node[key] : undefined;
    const next = isMap(child) ? (copied.has(child) ? child : copy(child)) : copy({});
    defineKey(node, key, next);
    node = next;
  }
  return node;
}

function defineKey(map: JsonMap, key: string, value: Json): void {
  Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
}
