import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  Pair,
  Scalar,
  visit,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import { detachedClone, findPair } from "./nodes";
import type { TemplateEdit } from "./template-edit";

/**
 * Applies edits to the document tree (for layouts a text splice cannot handle). Comments, tags and
 * quoting stay on the nodes; the caller re-stringifies the document, which may re-indent some lines.
 * Aliases and tags on the way are unfolded so that only the edited place changes meaning.
 */
export function editDocument(
  document: Document,
  edits: readonly TemplateEdit[],
  valueNode: (edit: Extract<TemplateEdit, { kind: "set" }>) => Node,
): void {
  for (const edit of edits) {
    const parent = mapOnPath(document, edit.path.slice(0, -1), edit.kind === "set");
    if (parent === undefined) continue;
    const key = edit.path[edit.path.length - 1] as string;
    const pair = findPair(parent, key);
    if (edit.kind === "set") {
      const node = valueNode(edit);
      if (pair === undefined) parent.items.push(new Pair(new Scalar(key), node));
      else {
        keepComment(pair.value as Node | null, node);
        pair.value = node;
      }
    } else if (pair !== undefined && edit.kind === "delete")
      parent.items.splice(parent.items.indexOf(pair), 1);
    else if (pair !== undefined && edit.kind === "delete-item") {
      const seq = unfold(document, pair.value as Node);
      if (isSeq(seq)) seq.items.splice(edit.index, 1);
      pair.value = seq;
    }
  }
}

/** The map at `path`, created (as the core's edits create it) when `create` is set. */
function mapOnPath(document: Document, path: readonly string[], create: boolean): YAMLMap | undefined {
  const root = unfold(document, document.contents as Node);
  if (!isMap(root)) return undefined;
  document.contents = root;
  let map: YAMLMap = root;
  for (const key of path) {
    let pair = findPair(map, key);
    if (pair === undefined) {
      if (!create) return undefined;
      pair = new Pair(new Scalar(key), new YAMLMap());
      map.items.push(pair);
    }
    const unfolded = unfold(document, pair.value as Node | null);
    if (!isMap(unfolded) && !create) return undefined;
    const next: YAMLMap = isMap(unfolded) ? unfolded : new YAMLMap();
    pair.value = next;
    map = next;
  }
  return map;
}

/**
 * The node as an editable plain node: an alias becomes a copy of its target, an anchored node loses
 * its anchor after its aliases became copies, and a short-form tag becomes its long-form map.
 */
function unfold(document: Document, node: Node | null | undefined): Node | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(document) as Node | undefined;
    return target ? unfold(document, copyOf(target)) : null;
  }
  if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) {
    const anchor = node.anchor;
    visit(document, {
      Alias(_key, alias) {
        return alias.source === anchor ? copyOf(node) : undefined;
      },
    });
    node.anchor = undefined;
  }
  return node.tag?.startsWith("!") ? longForm(node) : node;
}

function copyOf(node: Node): Node {
  return detachedClone(node) ?? (node.clone() as Node);
}

function longForm(node: Node): Node {
  const name = (node.tag as string).slice(1);
  const key = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
  const inner = node.clone() as Node;
  inner.tag = undefined;
  let content: Node = inner;
  if (name === "GetAtt" && isScalar(inner) && typeof inner.value === "string") {
    const dot = inner.value.indexOf(".");
    const parts = dot < 0 ? [inner.value] : [inner.value.slice(0, dot), inner.value.slice(dot + 1)];
    const seq = new YAMLSeq();
    seq.flow = true;
    for (const part of parts) seq.items.push(new Scalar(part));
    content = seq;
  }
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(key), content));
  return map;
}

/** The comment on the replaced value (`true # why`) describes the key, so it stays with it. */
function keepComment(old: Node | null, node: Node): void {
  if (old === null || !(isScalar(old) || isMap(old) || isSeq(old))) return;
  if (!(isScalar(node) || isMap(node) || isSeq(node))) return;
  node.comment = old.comment;
}
