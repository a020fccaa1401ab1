import {
  type Alias,
  type CST,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  type Scalar,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import type { Json } from "../pushdown";
import { errorMessage } from "../pushdown";
import { copyOnWrite, editedMap } from "../pushdown/edits";
import { defineKey, isMap as isJsonMap, sameJson, valueAt } from "../pushdown/json";
import { explicitPair, type Step } from "./locate";
import { parseCfnYaml } from "./read";
import { detectLayout, Renderer } from "./render";
import { readTemplateSource, type TemplateSource } from "./source";
import { isShortForm } from "./tags";

/*
 * The one editing layer: the source text, its syntax tree and a list of edits in, text out in which
 * only the edited places differ. Every place is found through the tree's node ranges and source
 * tokens; every new value is written from the rewritten template (so it means exactly that), in the
 * file's own style. What an edit cannot change in place is written afresh at the nearest place that
 * can be: an alias becomes a copy of what it stands for, a merged key becomes a written key. The
 * result is read back and compared with the rewritten template before anyone sees it.
 */

/** A change to the template: the core's edits, plus removing one item of a list (Transform). */
export type TextEdit =
  | {
      readonly kind: "set";
      readonly path: readonly string[];
      readonly value: Json;
      /** A scalar written elsewhere in the text whose exact spelling the new value keeps (quotes). */
      readonly source?: readonly Step[];
    }
  | { readonly kind: "delete"; readonly path: readonly string[] }
  | { readonly kind: "delete-item"; readonly path: readonly string[]; readonly index: number };

/** An edit that cannot be written so that the text reads back as the rewritten template. */
export class TemplateEditError extends Error {
  public override readonly name = "TemplateEditError";

  public constructor(
    message: string,
    /** 1-based line of the place, when there is one. */
    public readonly line: number | undefined,
  ) {
    super(message);
  }
}

/** The edited text and the template it reads as. */
export interface EditedText {
  /** The whole file, byte order mark included. */
  readonly text: string;
  readonly value: Json;
}

/**
 * Applies edits to a template's text. Untouched bytes stay as written (comments, tags, quoting,
 * numbers such as `1e400`); new keys go at the end of their map in the map's own style; a value
 * replaced on a line keeps the comment after it.
 *
 * @returns the source text itself when there is nothing to edit
 * @throws TemplateEditError when the edits cannot be written in place, or the written text would not
 *   read back (as the SAM CLI reads it) as the template with the edits applied
 */
export function editTemplateText(source: TemplateSource, edits: readonly TextEdit[]): EditedText {
  const value = applyTextEdits(source.value, edits);
  if (edits.length === 0) return { text: source.bom + source.text, value };
  const plan = new EditPlan(source, value);
  for (const edit of edits) plan.add(edit);
  plan.complete();
  const patches = new PatchWriter(source, value).patches(plan);
  const text = applyPatches(source.text, [...patches, ...keepFinalBlockScalar(source, patches)]);
  const readBack = readsAs(text, source.format, value);
  if (readBack !== true)
    throw new TemplateEditError(
      `the rewritten template could not be written in place (${readBack}); nothing was written`,
      undefined,
    );
  return { text: source.bom + text, value };
}

/**
 * A block scalar that ends a file without a final line break reads without one (PyYAML adds none).
 * Text appended after it would give it one; its header then strips it (`|` becomes `|-`), so the value
 * stays what it was.
 */
function keepFinalBlockScalar(source: TemplateSource, patches: readonly Patch[]): Patch[] {
  const { text } = source;
  if (
    source.format !== "yaml" ||
    /[\r\n]$/.test(text) ||
    !patches.some((patch) => patch.start === text.length)
  )
    return [];
  let last: Scalar | undefined;
  visit(source.document, {
    Scalar(_key, node) {
      if (node.range?.[1] === text.length || node.range?.[2] === text.length) last = node;
    },
  });
  if (last?.type !== "BLOCK_LITERAL" && last?.type !== "BLOCK_FOLDED") return [];
  const token = last.srcToken as { props?: { type: string; source: string; offset: number }[] } | undefined;
  const header = token?.props?.find((prop) => prop.type === "block-scalar-header");
  if (header === undefined)
    throw new TemplateEditError("a block scalar ends the file without a line break", undefined);
  const stripped = `${header.source.replace(/[+-]/g, "")}-`;
  return [{ start: header.offset, end: header.offset + header.source.length, text: stripped }];
}

/** Whether the text reads back as `expected`, or what went wrong. */
function readsAs(text: string, format: "json" | "yaml", expected: Json): true | string {
  try {
    const value = format === "json" ? readTemplateSource(text).value : parseCfnYaml(text).value;
    return sameJson(value, expected) ? true : "it would read differently";
  } catch (error) {
    return errorMessage(error);
  }
}

/**
 * The template with the edits applied; the input is not changed, parts no edit touches are shared.
 * Like the core's edits (whose copy-on-write walk it uses), a `set` creates the maps on its way.
 */
export function applyTextEdits(template: Json, edits: readonly TextEdit[]): Json {
  if (edits.length === 0) return template;
  const writable = copyOnWrite();
  const root = writable(isJsonMap(template) ? template : {});
  for (const edit of edits) {
    const map = editedMap(root, edit.path, edit.kind === "set", writable);
    if (map === undefined) continue;
    const key = edit.path[edit.path.length - 1] as string;
    if (edit.kind === "set") defineKey(map, key, edit.value);
    else if (edit.kind === "delete") delete map[key];
    else {
      const list = map[key];
      if (Array.isArray(list))
        defineKey(
          map,
          key,
          list.filter((_item, index) => index !== edit.index),
        );
    }
  }
  return root;
}

/** Where a value is written: as the value of a pair in a map, or as an item of a list. */
type Slot =
  | {
      readonly kind: "pair";
      readonly parent: YAMLMap;
      readonly pair: Pair;
      readonly path: readonly Step[];
      /** The exact text to write, when a `set` keeps the spelling of a scalar written elsewhere. */
      readonly verbatim?: string;
    }
  | {
      readonly kind: "item";
      readonly parent: YAMLSeq;
      readonly index: number;
      readonly path: readonly Step[];
    };

function sameSlot(a: Slot, b: Slot): boolean {
  if (a.kind === "pair" && b.kind === "pair") return a.pair === b.pair;
  return a.kind === "item" && b.kind === "item" && a.parent === b.parent && a.index === b.index;
}

function slotNode(slot: Slot): Node | null {
  return slot.kind === "pair"
    ? ((slot.pair.value as Node | null) ?? null)
    : ((slot.parent.items[slot.index] as Node | undefined) ?? null);
}

/** What the edits do to the nodes of the source, before any text is written. */
class EditPlan {
  /** Values written afresh from the rewritten template, each at its slot. */
  public readonly replaced: Slot[] = [];
  /** Keys added at the end of a map, with the map's path in the template. */
  public readonly added = new Map<YAMLMap, { path: readonly Step[]; keys: Set<string> }>();
  public readonly deleted = new Map<YAMLMap, Set<Pair>>();
  public readonly deletedItems = new Map<YAMLSeq, Set<number>>();
  /** The slot each entered collection is written at (the root has none). */
  private readonly slots = new Map<Node, Slot | undefined>();
  /** Anchored collections edited in place: their aliases must stop standing for them. */
  private readonly editedAnchors = new Set<Node>();
  private readonly pairIndex = new Map<YAMLMap, Map<string, Pair>>();
  private readonly mergeIndex = new Map<YAMLMap, Set<string>>();
  private readonly document: Document;

  public constructor(
    private readonly source: TemplateSource,
    private readonly expected: Json,
  ) {
    this.document = source.document;
  }

  public add(edit: TextEdit): void {
    const root = this.document.contents;
    if (!isMap(root)) throw new TemplateEditError("the template is not a map", 1);
    this.enter(root, undefined);
    let map: YAMLMap = root;
    let mapPath: readonly Step[] = [];
    for (let i = 0; i < edit.path.length; i += 1) {
      const key = edit.path[i] as string;
      const path = [...mapPath, key];
      const pair = this.pairsOf(map).get(key);
      const wanted = valueAt(this.expected, path);
      const merged = this.mergedKeys(map).has(key);
      if (wanted === undefined) {
        // Deleting a written key under a merge would uncover the merged one: write the map afresh.
        if (merged) this.replaceMap(map, mapPath);
        else if (pair !== undefined) this.deletePair(map, pair);
        return;
      }
      // A written key overrides a merged one, in PyYAML as in the library.
      if (pair === undefined) {
        this.addKey(map, mapPath, key);
        return;
      }
      const slot: Slot = { kind: "pair", parent: map, pair, path };
      const value = pair.value as Node | null;
      if (i === edit.path.length - 1) {
        if (edit.kind === "delete-item" && this.isEditableSeq(value)) {
          this.enter(value, slot);
          const items = this.deletedItems.get(value) ?? new Set<number>();
          items.add(edit.index);
          this.deletedItems.set(value, items);
        } else if (!sameJson(valueAt(this.source.value, path) ?? null, wanted))
          this.replace(edit.kind === "set" ? { ...slot, verbatim: this.verbatim(edit, wanted) } : slot);
        return;
      }
      if (!this.isEditableMap(value) || !isJsonMap(wanted)) {
        this.replace(slot);
        return;
      }
      this.enter(value, slot);
      map = value;
      mapPath = path;
    }
  }

  /** Maps emptied by deletions and aliases of changed anchors become values written afresh. */
  public complete(): void {
    for (const [map, pairs] of this.deleted)
      if (pairs.size === map.items.length && !this.added.has(map)) this.replaceCollection(map);
    for (const [seq, items] of this.deletedItems)
      if (items.size === seq.items.length) this.replaceCollection(seq);
    this.unlinkAliases();
  }

  /** Whether `node` lies inside a value that is written afresh (so edits inside it are moot). */
  public isReplacedInside(node: Node | Pair): boolean {
    const range = rangeOf(node);
    if (range === undefined) return false;
    return this.replaced.some((slot) => {
      const outer = slotNode(slot);
      const outerRange = outer?.range;
      return (
        outer !== null &&
        outer !== node &&
        outerRange !== undefined &&
        outerRange !== null &&
        range[0] >= outerRange[0] &&
        range[1] <= outerRange[1]
      );
    });
  }

  /** The text of the scalar a `set` names as its source, when it is written plainly on one line. */
  private verbatim(edit: Extract<TextEdit, { kind: "set" }>, value: Json): string | undefined {
    if (edit.source === undefined) return undefined;
    let node: unknown = this.document.contents;
    for (const step of edit.source)
      node =
        typeof step === "number"
          ? isSeq(node)
            ? node.items[step]
            : undefined
          : explicitPair(node, step)?.value;
    const range = isScalar(node) ? node.range : undefined;
    if (!isScalar(node) || node.anchor || node.tag || !range || node.value !== value) return undefined;
    const text = this.source.text.slice(range[0], range[1]);
    return /[\n\r]/.test(text) ? undefined : text;
  }

  private enter(node: Node, slot: Slot | undefined): void {
    if (!this.slots.has(node)) this.slots.set(node, slot);
    if ((isMap(node) || isSeq(node)) && node.anchor) this.editedAnchors.add(node);
  }

  private isEditableMap(node: Node | null): node is YAMLMap {
    return isMap(node) && !isShortForm(node.tag);
  }

  private isEditableSeq(node: Node | null): node is YAMLSeq {
    return isSeq(node) && !isShortForm(node.tag);
  }

  private replace(slot: Slot): void {
    const exists = this.replaced.some((other) => sameSlot(other, slot));
    if (!exists) this.replaced.push(slot);
  }

  private replaceCollection(node: Node): void {
    const slot = this.slots.get(node);
    if (slot === undefined) throw new TemplateEditError("an edit would leave the template empty", 1);
    this.replace(slot);
  }

  private replaceMap(map: YAMLMap, path: readonly Step[]): void {
    const slot = this.slots.get(map);
    if (slot === undefined)
      throw new TemplateEditError(
        `${path.join(".") || "the template"}: a key merged into the template's top level cannot be removed`,
        this.lineOf(map),
      );
    this.replace(slot);
  }

  private addKey(map: YAMLMap, path: readonly Step[], key: string): void {
    const entry = this.added.get(map) ?? { path, keys: new Set<string>() };
    entry.keys.add(key);
    this.added.set(map, entry);
  }

  private deletePair(map: YAMLMap, pair: Pair): void {
    const pairs = this.deleted.get(map) ?? new Set<Pair>();
    pairs.add(pair);
    this.deleted.set(map, pairs);
  }

  /** A map's written keys, indexed once: a template's Resources may hold thousands. */
  private pairsOf(map: YAMLMap): Map<string, Pair> {
    let pairs = this.pairIndex.get(map);
    if (pairs === undefined) {
      pairs = new Map();
      for (const pair of map.items)
        if (isScalar(pair.key) && !isMergePair(pair) && !pairs.has(String(pair.key.value)))
          pairs.set(String(pair.key.value), pair);
      this.pairIndex.set(map, pairs);
    }
    return pairs;
  }

  /** The keys a map takes from its merge keys (`<<: *base`), through nested merges. */
  private mergedKeys(map: YAMLMap, seen = new Set<Node>()): Set<string> {
    const cached = this.mergeIndex.get(map);
    if (cached !== undefined) return cached;
    const keys = new Set<string>();
    if (seen.size === 0) this.mergeIndex.set(map, keys);
    if (seen.has(map)) return keys;
    seen.add(map);
    for (const pair of map.items) {
      if (!isMergePair(pair)) continue;
      const value = pair.value as Node | null;
      const sources = isSeq(value) ? (value.items as Node[]) : [value];
      for (const item of sources) {
        const target = isAlias(item) ? (item.resolve(this.document) as Node | undefined) : item;
        if (!isMap(target)) continue;
        for (const inner of target.items)
          if (isScalar(inner.key) && !isMergePair(inner)) keys.add(String(inner.key.value));
        for (const key of this.mergedKeys(target, seen)) keys.add(key);
      }
    }
    return keys;
  }

  /**
   * Aliases must keep their meaning when what they stand for changes or disappears: each alias of an
   * anchor edited in place, written afresh or deleted becomes a copy of its value (an alias used as a
   * merge source: its map is written afresh). Repeated until nothing more changes.
   */
  private unlinkAliases(): void {
    const aliases = collectAliases(this.document);
    for (let changed = true; changed; ) {
      changed = false;
      const gone = this.changedAnchors();
      for (const alias of aliases) {
        const target = alias.target;
        if (target === undefined || !gone.has(target) || this.isGone(alias.node)) continue;
        if (alias.slot === undefined)
          throw new TemplateEditError(
            `an alias (*${alias.node.source}) of a part the rewrite changes is used where it cannot be copied`,
            this.lineOf(alias.node),
          );
        this.replace(alias.slot);
        changed = true;
      }
    }
  }

  private isGone(node: Alias): boolean {
    if (this.isReplacedInside(node) || this.replaced.some((slot) => slotNode(slot) === node)) return true;
    for (const pairs of this.deleted.values())
      for (const pair of pairs) if (contains(pair, node)) return true;
    return false;
  }

  /** Anchored nodes edited in place, or inside a value written afresh or deleted. */
  private changedAnchors(): Set<Node> {
    const gone = new Set<Node>(this.editedAnchors);
    const collect = (node: unknown) => {
      if (node === null || node === undefined) return;
      visit(node as Node, {
        Node(_key, inner) {
          if (inner !== null && (inner as { anchor?: string }).anchor) gone.add(inner);
        },
      });
    };
    for (const slot of this.replaced) collect(slotNode(slot));
    for (const pairs of this.deleted.values()) for (const pair of pairs) collect(pair);
    for (const [seq, items] of this.deletedItems) for (const index of items) collect(seq.items[index]);
    return gone;
  }

  private lineOf(node: Node): number | undefined {
    const offset = node.range?.[0];
    return offset === undefined ? undefined : this.source.lineCounter.linePos(offset).line;
  }
}

/** Merge keys (`<<`) read as a symbol by the library. */
function isMergePair(pair: Pair): boolean {
  return isScalar(pair.key) && typeof pair.key.value === "symbol";
}

function rangeOf(node: Node | Pair): readonly [number, number] | undefined {
  if (isPair(node)) {
    const start = (node.key as Node | null)?.range?.[0];
    const end = (node.value as Node | null)?.range?.[1] ?? (node.key as Node | null)?.range?.[1];
    return start === undefined || end === undefined ? undefined : [start, end];
  }
  const range = node.range;
  return range ? [range[0], range[1]] : undefined;
}

function contains(pair: Pair, node: Node): boolean {
  const outer = rangeOf(pair);
  const inner = node.range;
  return outer !== undefined && inner != null && inner[0] >= outer[0] && inner[1] <= outer[1];
}

/** An alias of the document, what it stands for, and the slot that holds it (none: it cannot be copied). */
interface AliasUse {
  readonly node: Alias;
  readonly target: Node | undefined;
  readonly slot: Slot | undefined;
}

/**
 * Every alias of the document, in document order, each with the node it stands for: the nearest
 * anchor of its name before it, as YAML defines it (found in one walk, not one search per alias).
 */
function collectAliases(document: Document): AliasUse[] {
  const found: AliasUse[] = [];
  const anchors = new Map<string, Node>();
  const use = (node: Alias, slot: Slot | undefined) =>
    found.push({ node, target: anchors.get(node.source), slot });
  const walk = (node: unknown, path: readonly Step[], slot: Slot | undefined, mergeOwner?: Slot | null) => {
    if (isAlias(node)) {
      use(node, mergeOwner === undefined ? slot : (mergeOwner ?? undefined));
      return;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node as Node);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isAlias(pair.key)) use(pair.key, undefined);
        else walk(pair.key, path, undefined, null);
        if (isMergePair(pair)) {
          // A merge source has no place of its own in the template: its map is what can be rewritten.
          walk(pair.value, path, undefined, mergeOwner === undefined ? (slot ?? null) : mergeOwner);
          continue;
        }
        const inner = [...path, String(isScalar(pair.key) ? pair.key.value : "")];
        walk(pair.value, inner, { kind: "pair", parent: node, pair, path: inner }, mergeOwner);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const inner = [...path, index];
        walk(item, inner, { kind: "item", parent: node, index, path: inner }, mergeOwner);
      });
    }
  };
  walk(document.contents, [], undefined);
  return found;
}

interface Patch {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /**
   * For text inserted at the same place: the deeper map's keys (a larger column) come first, since
   * they end that map before the keys of the map around it.
   */
  readonly column?: number;
}

/** Turns the plan into patches of the source text. */
class PatchWriter {
  private readonly text: string;
  private readonly render: Renderer;

  public constructor(
    private readonly source: TemplateSource,
    private readonly expected: Json,
  ) {
    this.text = source.text;
    this.render = new Renderer(source.format, detectLayout(source.text, source.format));
  }

  public patches(plan: EditPlan): Patch[] {
    const patches: Patch[] = [];
    for (const slot of plan.replaced)
      if (!plan.isReplacedInside(slot.kind === "pair" ? slot.pair : (slotNode(slot) ?? slot.parent)))
        patches.push(this.replaceSlot(slot));
    for (const [map, pairs] of plan.deleted) {
      if (plan.isReplacedInside(map) || plan.replaced.some((slot) => slotNode(slot) === map)) continue;
      patches.push(...this.deletePairs(map, pairs));
    }
    for (const [seq, items] of plan.deletedItems) {
      if (plan.isReplacedInside(seq) || plan.replaced.some((slot) => slotNode(slot) === seq)) continue;
      patches.push(...this.deleteItems(seq, items));
    }
    for (const [map, { path, keys }] of plan.added) {
      if (plan.isReplacedInside(map) || plan.replaced.some((slot) => slotNode(slot) === map)) continue;
      patches.push(this.addKeys(map, path, keys, plan.deleted.get(map)));
    }
    return patches;
  }

  private wanted(path: readonly Step[]): Json {
    return valueAt(this.expected, path) ?? null;
  }

  private replaceSlot(slot: Slot): Patch {
    const value = this.wanted(slot.path);
    if (slot.kind === "item") return this.replaceItem(slot.parent, slot.index, value);
    const { pair, parent } = slot;
    const colon = this.colonEnd(pair);
    const start = this.valueStart(pair);
    const end = this.valueEnd(pair);
    const onKeyLine = !this.text.slice(colon, start).includes("\n") && start < end;
    if (parent.flow || this.source.format === "json") {
      const prefix = this.linePrefix(this.keyStart(pair));
      const text = slot.verbatim ?? this.render.flowValue(value, prefix, this.isMultiLine(parent));
      return onKeyLine ? { start, end, text } : { start: colon, end, text: ` ${text}` };
    }
    const column = this.column(this.keyStart(pair));
    const rest = slot.verbatim === undefined ? this.render.blockValue(value, column) : ` ${slot.verbatim}`;
    if (!rest.includes("\n") && !rest.includes("\r")) {
      return onKeyLine ? { start, end, text: rest.trimStart() } : { start: colon, end, text: rest };
    }
    const lineEnd = this.lineEnd(end);
    const after = this.text.slice(end, lineEnd);
    // `key: *alias  # why` keeps its comment on the key's line; the new block goes below it.
    if (onKeyLine && /^[ \t]+#/.test(after) && rest.startsWith(this.render.newline)) {
      const lineBreak = /\r?\n$/.exec(after)?.[0] ?? "";
      return { start: colon, end: lineEnd, text: `${after.trimEnd()}${rest}${lineBreak}` };
    }
    return { start: colon, end, text: rest };
  }

  private replaceItem(seq: YAMLSeq, index: number, value: Json): Patch {
    const node = seq.items[index] as Node | null;
    const item = this.cstItem(seq, index);
    const start = this.itemStart(item, node);
    const end = this.trimmedEnd(node?.range?.[1] ?? start, start);
    if (seq.flow || this.source.format === "json")
      return {
        start,
        end,
        text: this.render.flowValue(value, this.linePrefix(start), this.isMultiLine(seq)),
      };
    return { start, end, text: this.render.blockItem(value, this.column(start)) };
  }

  private addKeys(
    map: YAMLMap,
    path: readonly Step[],
    keys: Set<string>,
    deleted: Set<Pair> | undefined,
  ): Patch {
    const wanted = this.wanted(path);
    const ordered = isJsonMap(wanted) ? Object.keys(wanted).filter((key) => keys.has(key)) : [...keys];
    const values = ordered.map((key) => [key, this.wanted([...path, key])] as const);
    const last = map.items[map.items.length - 1];
    if (map.flow || this.source.format === "json") {
      if (last === undefined) {
        const open = map.range?.[0];
        if (open === undefined || this.text[open] !== "{")
          throw new TemplateEditError("an empty map not written as {}", undefined);
        const pad = this.source.format === "json" ? "" : this.render.flowPadding;
        const entries = values.map(([key, value]) => this.render.flowPair(key, value, "", false));
        return { start: open + 1, end: open + 1, text: `${pad}${entries.join(this.render.comma)}${pad}` };
      }
      const at = this.valueEnd(last);
      const multiLine = this.isMultiLine(map);
      const prefix = this.linePrefix(this.keyStart(last));
      const entries = values.map(([key, value]) => this.render.flowPair(key, value, prefix, multiLine));
      const comma = this.render.comma;
      const lead = (deleted?.size ?? 0) === map.items.length ? "" : multiLine ? "," : comma;
      const separator = multiLine ? `,${this.render.newline}${prefix}` : comma;
      const joined = entries.join(separator);
      return {
        start: at,
        end: at,
        text: multiLine ? `${lead}${this.render.newline}${prefix}${joined}` : `${lead}${joined}`,
      };
    }
    const first = map.items[0];
    if (first === undefined || last === undefined)
      throw new TemplateEditError("a block map without keys", undefined);
    const column = this.column(this.keyStart(first));
    const at = this.afterPair(last);
    const newline = this.render.newline;
    const pad = " ".repeat(column);
    const lines = values.map(([key, value]) => `${pad}${this.render.blockPair(key, value, column)}`);
    // A file that ends without a line break keeps ending so.
    const atEnd = at === this.text.length && !this.text.endsWith("\n");
    const text = atEnd ? `${newline}${lines.join(newline)}` : `${lines.join(newline)}${newline}`;
    return { start: at, end: at, text, column };
  }

  /** Whether a flow collection puts its entries on lines of their own (pretty JSON). */
  private isMultiLine(collection: YAMLMap | YAMLSeq): boolean {
    const open = collection.range?.[0];
    const first = collection.items[0] as Pair | Node | undefined;
    if (open === undefined || first === undefined) return false;
    const start = isPair(first) ? this.keyStart(first) : first.range?.[0];
    return start !== undefined && this.text.slice(open, start).includes("\n");
  }

  private deletePairs(map: YAMLMap, pairs: Set<Pair>): Patch[] {
    const items = map.items;
    if (map.flow || this.source.format === "json")
      return this.deleteFlowEntries(
        items.map((pair) => ({
          start: this.keyStart(pair),
          end: this.valueEnd(pair),
          gone: pairs.has(pair),
        })),
      );
    return items.flatMap((pair, index) => {
      if (!pairs.has(pair)) return [];
      const keyStart = this.keyStart(pair);
      const lineStart = this.lineStart(keyStart);
      if (/^[ \t]*$/.test(this.text.slice(lineStart, keyStart)))
        return [{ start: lineStart, end: this.afterPair(pair), text: "" }];
      const next = items[index + 1];
      if (next === undefined || pairs.has(next))
        throw new TemplateEditError("a key that shares its line cannot be removed here", undefined);
      return [{ start: keyStart, end: this.keyStart(next), text: "" }];
    });
  }

  private deleteItems(seq: YAMLSeq, indexes: Set<number>): Patch[] {
    if (seq.flow || this.source.format === "json")
      return this.deleteFlowEntries(
        seq.items.map((node, index) => {
          const start = this.itemStart(this.cstItem(seq, index), node as Node | null);
          return {
            start,
            end: this.trimmedEnd((node as Node | null)?.range?.[1] ?? start, start),
            gone: indexes.has(index),
          };
        }),
      );
    return [...indexes].map((index) => {
      const node = seq.items[index] as Node | null;
      const dash = this.cstItem(seq, index)?.start.find((token) => token.type === "seq-item-ind")?.offset;
      if (dash === undefined || !/^[ \t]*$/.test(this.text.slice(this.lineStart(dash), dash)))
        throw new TemplateEditError("a list item that shares its line cannot be removed here", undefined);
      const end = this.trimmedEnd(node?.range?.[1] ?? dash + 1, dash + 1);
      return { start: this.lineStart(dash), end: this.lineEnd(end), text: "" };
    });
  }

  /**
   * In a flow collection an entry goes with the comma before it, or, when it comes first, with the
   * text up to the first entry that stays.
   */
  private deleteFlowEntries(entries: readonly { start: number; end: number; gone: boolean }[]): Patch[] {
    const patches: Patch[] = [];
    const firstKept = entries.findIndex((entry) => !entry.gone);
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (firstKept < 0) return first && last ? [{ start: first.start, end: last.end, text: "" }] : [];
    for (let i = 0; i < entries.length; i += 1) {
      const entry = entries[i] as { start: number; end: number; gone: boolean };
      if (!entry.gone) continue;
      if (i < firstKept) {
        if (i === 0)
          patches.push({
            start: entry.start,
            end: (entries[firstKept] as { start: number }).start,
            text: "",
          });
        continue;
      }
      const previous = entries[i - 1] as { end: number };
      patches.push({ start: previous.end, end: entry.end, text: "" });
    }
    return patches;
  }

  /** Where the line after a block pair starts (a block scalar ends at a line start already). */
  private afterPair(pair: Pair): number {
    const value = pair.value as Node | null;
    if (isScalar(value) && (value.type === "BLOCK_LITERAL" || value.type === "BLOCK_FOLDED") && value.range)
      return value.range[1];
    return this.lineEnd(this.valueEnd(pair));
  }

  /** Where a pair starts: its key, or the `?` of an explicit key, or the key's tag or anchor. */
  private keyStart(pair: Pair): number {
    const start = (pair.key as Node | null)?.range?.[0];
    if (start === undefined) throw new TemplateEditError("a key without a place in the text", undefined);
    const tokens = (pair.srcToken as CST.CollectionItem | undefined)?.start ?? [];
    const marks = tokens.filter(
      (token) => token.type === "explicit-key-ind" || token.type === "anchor" || token.type === "tag",
    );
    return Math.min(start, ...marks.map((token) => token.offset));
  }

  /** Just after the `:` of a pair (or after its key when it has none). */
  private colonEnd(pair: Pair): number {
    const colon = (pair.srcToken as CST.CollectionItem | undefined)?.sep?.find(
      (token) => token.type === "map-value-ind",
    );
    if (colon !== undefined) return colon.offset + 1;
    const end = (pair.key as Node | null)?.range?.[1];
    if (end === undefined) throw new TemplateEditError("a key without a place in the text", undefined);
    return end;
  }

  /** Where the value starts, its tag and anchor included. */
  private valueStart(pair: Pair): number {
    const sep = (pair.srcToken as CST.CollectionItem | undefined)?.sep ?? [];
    const colon = sep.findIndex((token) => token.type === "map-value-ind");
    const props = sep.slice(colon + 1).find((token) => token.type === "anchor" || token.type === "tag");
    if (props !== undefined) return props.offset;
    const value = pair.value as Node | null;
    const start = value?.range?.[0];
    const colonEnd = this.colonEnd(pair);
    return start === undefined || start < colonEnd ? colonEnd : start;
  }

  /** Where the value's text ends, trailing blanks and line breaks left out. */
  private valueEnd(pair: Pair): number {
    const colon = this.colonEnd(pair);
    const value = pair.value as Node | null;
    const end = value?.range ? Math.max(value.range[1], colon) : colon;
    return this.trimmedEnd(end, colon);
  }

  private cstItem(seq: YAMLSeq, index: number): CST.CollectionItem | undefined {
    const token = seq.srcToken as CST.BlockSequence | CST.FlowCollection | undefined;
    const node = seq.items[index] as Node | null;
    const own = (node as { srcToken?: unknown } | null)?.srcToken;
    return token?.items.find((item) => item.value === own && own !== undefined);
  }

  /** Where a list item starts, its tag and anchor included. */
  private itemStart(item: CST.CollectionItem | undefined, node: Node | null): number {
    const tokens = item?.start ?? [];
    const indicator = tokens.findIndex((token) => token.type === "seq-item-ind" || token.type === "comma");
    const props = tokens
      .slice(indicator + 1)
      .find((token) => token.type === "anchor" || token.type === "tag");
    const start = props?.offset ?? node?.range?.[0];
    if (start === undefined)
      throw new TemplateEditError("a list item without a place in the text", undefined);
    return start;
  }

  private trimmedEnd(end: number, floor: number): number {
    let at = end;
    while (at > floor && /\s/.test(this.text[at - 1] as string)) at -= 1;
    return at;
  }

  private lineStart(offset: number): number {
    return this.text.lastIndexOf("\n", offset - 1) + 1;
  }

  private lineEnd(offset: number): number {
    const newline = this.text.indexOf("\n", offset);
    return newline < 0 ? this.text.length : newline + 1;
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** The blanks that start the line of `offset` (JSON lines may be indented with tabs). */
  private linePrefix(offset: number): string {
    const start = this.lineStart(offset);
    return /^[ \t]*/.exec(this.text.slice(start, offset))?.[0] ?? "";
  }
}

function applyPatches(text: string, patches: readonly Patch[]): string {
  const sorted = [...patches].sort(
    (a, b) => a.start - b.start || a.end - b.end || (b.column ?? 0) - (a.column ?? 0),
  );
  const pieces: string[] = [];
  let at = 0;
  for (const patch of sorted) {
    if (patch.start < at) throw new TemplateEditError("two edits overlap in the text", undefined);
    pieces.push(text.slice(at, patch.start), patch.text);
    at = patch.end;
  }
  pieces.push(text.slice(at));
  return pieces.join("");
}
