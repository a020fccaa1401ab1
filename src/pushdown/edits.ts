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
  const writable = copyOnWrite();
  const result = writable(root);
  for (const edit of edits) applyEdit(result, edit, writable);
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
    if (edit.parent === undefined || edit.key === undefined) applyEdit(root, edit, inPlace);
    else if (edit.kind === "set") setKey(edit.parent, edit.key, edit.value);
    else delete edit.parent[edit.key];
  }
  return root;
}

/**
 * Makes maps writable by copying each once, the first time an edit passes through it: the copy keeps the
 * key order, and later edits change the copy itself.
 */
export function copyOnWrite(): (map: JsonMap) => JsonMap {
  const copies = new Set<JsonMap>();
  return (map) => {
    if (copies.has(map)) return map;
    // Spread defines own data properties, so a `__proto__` key stays a key and never becomes the prototype.
    const copy: JsonMap = { ...map };
    copies.add(copy);
    return copy;
  };
}

function inPlace(map: JsonMap): JsonMap {
  return map;
}

/** Sets or deletes one key, through the maps `writable` gives on the way from `root`. */
function applyEdit(root: JsonMap, edit: Edit, writable: (map: JsonMap) => JsonMap): void {
  const parent = editedMap(root, edit.path, edit.kind === "set", writable);
  if (parent === undefined) return;
  const key = edit.path[edit.path.length - 1] as string;
  if (edit.kind === "set") setKey(parent, key, edit.value);
  else delete parent[key];
}

/**
 * The map that holds the last key of `path`, with every map on the way from `root` made writable. Where
 * a step is missing (or not a map), `create` puts a new map there (what a set needs); otherwise there is
 * nothing to change there, and the answer is `undefined` (a delete under a missing key changes nothing).
 */
export function editedMap(
  root: JsonMap,
  path: readonly string[],
  create: boolean,
  writable: (map: JsonMap) => JsonMap,
): JsonMap | undefined {
  let node = root;
  for (let i = 0; i < path.length - 1; i += 1) {
    const key = path[i] as string;
    const child = Object.hasOwn(node, key) ? node[key] : undefined;
    if (!isMap(child) && !create) return undefined;
    const next = writable(isMap(child) ? child : {});
    if (next !== child) setKey(node, key, next);
    node = next;
  }
  return node;
}

function setKey(map: JsonMap, key: string, value: Json): void {
  // Assignment to `__proto__` would set the prototype; define that one key as data instead.
  if (key === "__proto__") {
    Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    map[key] = value;
  }
}
