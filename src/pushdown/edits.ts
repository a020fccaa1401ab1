import { isMap, type Json, type JsonMap } from "./json";

/**
 * One change to the template: set a key (appended if new, in place if present) or delete it. `path`
 * leads from the template root to the key; where the rewrite read the map that holds the key, `parent`
 * and `key` name it, so a caller that owns the template edits it without walking the path again.
 */
export type Edit =
  | {
      readonly kind: "set";
      readonly path: readonly string[];
      readonly value: Json;
      readonly parent?: JsonMap;
      readonly key?: string;
    }
  | {
      readonly kind: "delete";
      readonly path: readonly string[];
      readonly parent?: JsonMap;
      readonly key?: string;
    };

/**
 * Applies edits without touching the input: only the maps on the way to an edited key are copied
 * (keeping their key order), everything else is shared with the input.
 */
export function applyEdits(root: JsonMap, edits: readonly Edit[]): JsonMap {
  if (edits.length === 0) return root;
  const copied = new Set<JsonMap>();
  const own = (map: JsonMap): JsonMap => {
    if (copied.has(map)) return map;
    // Spread defines own data properties, so a `__proto__` key stays a key and never becomes the prototype.
    const clone: JsonMap = { ...map };
    copied.add(clone);
    return clone;
  };
  const result = own(root);
  for (const edit of edits) apply(result, edit, own);
  return result;
}

/**
 * Applies edits to the template itself: for a caller that owns it, such as the Lambda handler with the
 * event it was just handed. Only the edited keys (and maps created on their way) are touched.
 */
export function applyEditsInPlace(root: JsonMap, edits: readonly Edit[]): JsonMap {
  // Indexed, like the walk's loops (see readTemplate): one edit per route.
  for (let i = 0; i < edits.length; i += 1) {
    const edit = edits[i] as Edit;
    if (edit.parent === undefined || edit.key === undefined) apply(root, edit, inPlace);
    else if (edit.kind === "set") setKey(edit.parent, edit.key, edit.value);
    else delete edit.parent[edit.key];
  }
  return root;
}

function inPlace(map: JsonMap): JsonMap {
  return map;
}

function apply(root: JsonMap, edit: Edit, writable: (map: JsonMap) => JsonMap): void {
  const { path } = edit;
  let node = root;
  for (let i = 0; i < path.length - 1; i += 1) {
    const key = path[i] as string;
    const child = Object.hasOwn(node, key) ? node[key] : undefined;
    const next = isMap(child) ? writable(child) : {};
    if (next !== child) setKey(node, key, next);
    node = next;
  }
  const key = path[path.length - 1] as string;
  if (edit.kind === "set") setKey(node, key, edit.value);
  else delete node[key];
}

function setKey(map: JsonMap, key: string, value: Json): void {
  // Assignment to `__proto__` would set the prototype; define that one key as data instead.
  if (key === "__proto__") {
    Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    map[key] = value;
  }
}
