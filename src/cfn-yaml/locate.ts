import { isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { TemplateSource } from "./source";

/** A place in the text, both 1-based, as editors and SARIF readers count. */
export interface Place {
  readonly line: number;
  readonly column: number;
}

/** A step into the template: a map key or a list index. */
export type Step = string | number;

/** The pair of `map` written with the key `key` (merge keys, `<<`, are not written keys). */
export function explicitPair(node: unknown, key: string): Pair<unknown, unknown> | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => isScalar(pair.key) && isWrittenKey(pair.key.value, key));
}

function isWrittenKey(value: unknown, key: string): boolean {
  return typeof value !== "symbol" && String(value) === key;
}

/**
 * Where the template part at `path` is written: the key of the deepest part of the path that is
 * written in the text as such. A path that goes through an alias or a merge key stops there, at the
 * place the user wrote (the alias, or the key that holds the merge).
 */
export function placeOf(source: TemplateSource, path: readonly Step[]): Place {
  let node = source.document.contents as Node | null;
  let at: Node | null | undefined = node;
  for (const step of path) {
    let next: unknown;
    let keyNode: Node | undefined;
    if (typeof step === "string") {
      const pair = explicitPair(node, step);
      next = pair?.value;
      keyNode = pair?.key as Node | undefined;
    } else if (isSeq(node)) next = node.items[step];
    if (next === undefined) break;
    at = keyNode ?? (next as Node | null);
    if (next === null || !(isMap(next) || isSeq(next))) break;
    node = next;
  }
  const offset = at?.range?.[0] ?? 0;
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}
