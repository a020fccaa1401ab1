import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  Pair,
  Scalar,
  visit,
  YAMLMap,
  type YAMLSeq,
} from "yaml";
import { blockText, findPair, inlineText, type Layout } from "./nodes";
import type { TemplateEdit } from "./template-edit";

/** The splice cannot express an edit in place (an alias, a tag or an odd layout on the way). */
export class SpliceUnsupported extends Error {
  public override readonly name = "SpliceUnsupported";
}

interface Patch {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly order: number;
}

type AnyPair = Pair<unknown, unknown>;

/**
 * Applies edits to the source text itself, at the places the document's node ranges give, so every
 * byte the rewrite does not change stays as the user wrote it. New keys go at the end of their map
 * with the map's own indentation; set values are written by `valueNode`.
 *
 * @throws SpliceUnsupported when an edit goes through something a text patch cannot safely change
 */
export function spliceEdits(
  text: string,
  document: Document,
  edits: readonly TemplateEdit[],
  valueNode: (edit: Extract<TemplateEdit, { kind: "set" }>) => Node,
  layout: Layout,
): string {
  const plan = new SplicePlan(document);
  for (const edit of edits) plan.add(edit, valueNode);
  return applyPatches(text, new PatchWriter(text, layout).patches(plan));
}

/** What the edits do to the original document's nodes, before any text is written. */
class SplicePlan {
  public readonly replaced = new Map<AnyPair, Node>();
  public readonly added = new Map<YAMLMap, Map<string, Node>>();
  public readonly deleted = new Map<AnyPair, YAMLMap>();
  public readonly deletedItems = new Map<YAMLSeq, Set<number>>();
  private readonly anchored = new Set<string>();

  public constructor(private readonly document: Document) {
    // Editing an anchored node in place would also change every alias of it.
    visit(document, {
      Alias: (_key, alias) => {
        this.anchored.add(alias.source);
      },
    });
  }

  public add(edit: TemplateEdit, valueNode: (edit: Extract<TemplateEdit, { kind: "set" }>) => Node): void {
    let map = this.plainMap(this.document.contents);
    const { path } = edit;
    for (let i = 0; i < path.length - 1; i += 1) {
      const key = path[i] as string;
      const rest = path.slice(i + 1);
      const pair = findPair(map, key);
      if (pair === undefined) {
        if (edit.kind === "set") this.deepSet(this.newValue(map, key, true), rest, valueNode(edit));
        return;
      }
      const replacement = this.replaced.get(pair);
      if (this.deleted.has(pair)) throw new SpliceUnsupported("edit under a deleted key");
      if (replacement !== undefined) {
        if (edit.kind !== "set" || !isMap(replacement)) throw new SpliceUnsupported("edit under a new value");
        this.deepSet(replacement, rest, valueNode(edit));
        return;
      }
      const value = pair.value as Node | null;
      if (isMap(value) && !value.tag) {
        map = this.plainMap(value);
        continue;
      }
      if (value !== null && !(isScalar(value) && value.value === null && !value.tag))
        throw new SpliceUnsupported(`${key} is not a plain map`);
      if (edit.kind !== "set") return;
      const fresh = new YAMLMap();
      this.replaced.set(pair, fresh);
      this.deepSet(fresh, rest, valueNode(edit));
      return;
    }
    this.addLast(map, edit, valueNode);
  }

  private addLast(
    map: YAMLMap,
    edit: TemplateEdit,
    valueNode: (edit: Extract<TemplateEdit, { kind: "set" }>) => Node,
  ): void {
    const key = edit.path[edit.path.length - 1] as string;
    const pair = findPair(map, key);
    if (pair !== undefined && this.deleted.has(pair)) throw new SpliceUnsupported("key edited after delete");
    if (edit.kind === "set") {
      if (pair === undefined) this.newValue(map, key, false, valueNode(edit));
      else this.replaced.set(pair, valueNode(edit));
      return;
    }
    if (pair === undefined) return;
    if (this.replaced.has(pair)) throw new SpliceUnsupported("key deleted after set");
    if (edit.kind === "delete") {
      this.deleted.set(pair, map);
      return;
    }
    const seq = pair.value;
    if (!isSeq(seq) || seq.tag) throw new SpliceUnsupported("item of something not a list");
    const items = this.deletedItems.get(seq) ?? new Set<number>();
    items.add(edit.index);
    this.deletedItems.set(seq, items);
  }

  private plainMap(node: unknown): YAMLMap {
    if (!isMap(node) || node.tag) throw new SpliceUnsupported("not a plain map");
    if (node.anchor && this.anchored.has(node.anchor)) throw new SpliceUnsupported("anchored map");
    return node;
  }

  private newValue(map: YAMLMap, key: string, asMap: boolean, node?: Node): YAMLMap {
    const added = this.added.get(map) ?? new Map<string, Node>();
    this.added.set(map, added);
    const existing = added.get(key);
    if (asMap) {
      if (existing !== undefined && !isMap(existing)) throw new SpliceUnsupported("new value is not a map");
      const fresh = (existing as YAMLMap | undefined) ?? new YAMLMap();
      added.set(key, fresh);
      return fresh;
    }
    added.set(key, node as Node);
    return map;
  }

  private deepSet(map: YAMLMap, path: readonly string[], value: Node): void {
    let target = map;
    for (const key of path.slice(0, -1)) {
      let pair = findPair(target, key);
      if (pair === undefined) {
        pair = new Pair(new Scalar(key), new YAMLMap());
        target.items.push(pair);
      }
      if (!isMap(pair.value)) throw new SpliceUnsupported("new value is not a map");
      target = pair.value;
    }
    const key = path[path.length - 1] as string;
    const pair = findPair(target, key);
    if (pair) pair.value = value;
    else target.items.push(new Pair(new Scalar(key), value));
  }
}

/** Turns the plan into text patches against the source. */
class PatchWriter {
  private order = 0;

  public constructor(
    private readonly text: string,
    private readonly layout: Layout,
  ) {}

  public patches(plan: SplicePlan): Patch[] {
    const patches: Patch[] = [];
    for (const [pair, map] of plan.deleted) patches.push(this.deletePair(pair, map, plan));
    for (const [seq, indexes] of plan.deletedItems)
      for (const index of indexes) patches.push(this.deleteItem(seq, index));
    for (const [pair, node] of plan.replaced) patches.push(this.replaceValue(pair, node));
    for (const [map, keys] of plan.added) patches.push(this.addKeys(map, keys, plan));
    return patches;
  }

  private patch(start: number, end: number, text: string): Patch {
    this.order += 1;
    return { start, end, text, order: this.order };
  }

  private deletePair(pair: AnyPair, map: YAMLMap, plan: SplicePlan): Patch {
    const index = map.items.indexOf(pair);
    if (map.items.every((item) => plan.deleted.has(item)) && !plan.added.has(map))
      throw new SpliceUnsupported("delete empties a map");
    if (map.flow) return this.deleteFlowEntry(map.items, index, (item) => this.pairStart(item));
    const start = this.ownLineStart(this.pairStart(pair), /^ *$/);
    return this.patch(start, this.lineEnd(this.pairEnd(pair)), "");
  }

  private deleteItem(seq: YAMLSeq, index: number): Patch {
    const item = seq.items[index] as Node | undefined;
    if (!item?.range) throw new SpliceUnsupported("list item without a place");
    if (seq.flow) return this.deleteFlowEntry(seq.items as Node[], index, (node) => this.nodeStart(node));
    const start = this.ownLineStart(item.range[0], /^ *- *$/);
    return this.patch(start, this.lineEnd(this.trimmedEnd(item.range[1], item.range[0])), "");
  }

  /** In a flow collection an entry goes together with the comma before it (or after it, when first). */
  private deleteFlowEntry<T>(items: readonly T[], index: number, startOf: (item: T) => number): Patch {
    const item = items[index] as T;
    const end = this.entryEnd(item);
    const previous = items[index - 1];
    if (previous !== undefined) return this.patch(this.entryEnd(previous), end, "");
    const next = items[index + 1];
    return this.patch(startOf(item), next === undefined ? end : startOf(next), "");
  }

  private entryEnd(item: unknown): number {
    if (item instanceof Pair) return this.pairEnd(item);
    const node = item as Node;
    if (!node.range) throw new SpliceUnsupported("entry without a place");
    return this.trimmedEnd(node.range[1], node.range[0]);
  }

  private replaceValue(pair: AnyPair, node: Node): Patch {
    const colon = this.afterColon(pair);
    const end = this.pairEnd(pair);
    const singleLine = !this.text.slice(colon, end).includes("\n");
    const key = pair.key as Node;
    if (isMap(node) && node.items.length > 0 && singleLine && this.isBlockKey(key)) {
      const column = this.column(this.pairStart(pair)) + this.layout.indent;
      const block = blockText(node, column, this.layout).trimEnd();
      return this.patch(colon, end, `${this.layout.newline}${block}`);
    }
    return this.patch(colon, end, ` ${inlineText(node, this.layout)}`);
  }

  private addKeys(map: YAMLMap, keys: ReadonlyMap<string, Node>, plan: SplicePlan): Patch {
    const live = map.items.filter((pair) => !plan.deleted.has(pair));
    const last = map.items[map.items.length - 1];
    if (map.flow) {
      const entries = [...keys].map(
        ([key, node]) => `${this.keyText(key)}: ${inlineText(node, this.layout)}`,
      );
      if (last === undefined) {
        const open = map.range?.[0];
        if (open === undefined || this.text[open] !== "{") throw new SpliceUnsupported("empty map not in {}");
        const pad = this.layout.flowPadding ? " " : "";
        return this.patch(open + 1, open + 1, `${pad}${entries.join(", ")}${pad}`);
      }
      const lead = live.length === 0 ? "" : ", ";
      return this.patch(this.pairEnd(last), this.pairEnd(last), `${lead}${entries.join(", ")}`);
    }
    const first = map.items[0];
    if (first === undefined || last === undefined) throw new SpliceUnsupported("block map without keys");
    const column = this.column(this.pairStart(first));
    const at = this.lineEnd(this.pairEnd(last));
    const newline = this.layout.newline;
    const lead = at === this.text.length && !this.text.endsWith("\n") ? newline : "";
    const lines = [...keys].map(([key, node]) => this.blockEntry(key, node, column));
    return this.patch(at, at, lead + lines.join(""));
  }

  private blockEntry(key: string, node: Node, column: number): string {
    const pad = " ".repeat(column);
    if (isMap(node) && node.items.length > 0 && !node.tag) {
      return `${pad}${this.keyText(key)}:${this.layout.newline}${blockText(node, column + this.layout.indent, this.layout)}`;
    }
    return `${pad}${this.keyText(key)}: ${inlineText(node, this.layout)}${this.layout.newline}`;
  }

  private keyText(key: string): string {
    return inlineText(new Scalar(key), this.layout);
  }

  private isBlockKey(key: Node): boolean {
    const start = key.range?.[0];
    return start !== undefined && /^ *$/.test(this.text.slice(this.lineStart(start), start));
  }

  private pairStart(pair: AnyPair): number {
    return this.nodeStart(pair.key as Node);
  }

  private nodeStart(node: Node): number {
    const start = node.range?.[0];
    if (start === undefined) throw new SpliceUnsupported("node without a place");
    return start;
  }

  /** Where the pair's value text ends, trailing blanks and line breaks left out. */
  private pairEnd(pair: AnyPair): number {
    const colon = this.afterColon(pair);
    const value = pair.value as Node | null;
    const end = value?.range ? Math.max(value.range[1], colon) : colon;
    return this.trimmedEnd(end, colon);
  }

  private afterColon(pair: AnyPair): number {
    const key = pair.key as Node;
    const end = key.range?.[1];
    if (end === undefined) throw new SpliceUnsupported("key without a place");
    const match = /^[ \t]*:/.exec(this.text.slice(end));
    if (!match) throw new SpliceUnsupported("key not followed by a colon");
    return end + match[0].length;
  }

  private trimmedEnd(end: number, floor: number): number {
    let at = end;
    while (at > floor && /\s/.test(this.text[at - 1] as string)) at -= 1;
    return at;
  }

  private lineStart(offset: number): number {
    return this.text.lastIndexOf("\n", offset - 1) + 1;
  }

  /** The start of the line when only `prefix` stands before `offset` on it. */
  private ownLineStart(offset: number, prefix: RegExp): number {
    const start = this.lineStart(offset);
    if (!prefix.test(this.text.slice(start, offset))) throw new SpliceUnsupported("entry shares its line");
    return start;
  }

  private lineEnd(offset: number): number {
    const newline = this.text.indexOf("\n", offset);
    return newline < 0 ? this.text.length : newline + 1;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }
}

function applyPatches(text: string, patches: readonly Patch[]): string {
  const sorted = [...patches].sort((a, b) => b.start - a.start || b.order - a.order);
  let result = text;
  let limit = text.length;
  for (const patch of sorted) {
    if (patch.end > limit) throw new SpliceUnsupported("overlapping edits");
    result = result.slice(0, patch.start) + patch.text + result.slice(patch.end);
    limit = patch.start;
  }
  return result;
}
