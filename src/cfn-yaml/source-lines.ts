import { type Document, LineCounter, type Node, parseDocument } from "yaml";
import { nodeAt, type Step } from "./nodes";

/** Finds the line of a template path in the source text, for messages such as `template.yaml:12: ...`. */
export class SourceLines {
  private constructor(
    private readonly document: Document | undefined,
    private readonly lines: LineCounter,
  ) {}

  /** Lines from the document the template was read from (YAML), or from the JSON text read as YAML. */
  public static of(text: string, parsed?: { document: Document; lineCounter: LineCounter }): SourceLines {
    if (parsed) return new SourceLines(parsed.document, parsed.lineCounter);
    const lines = new LineCounter();
    try {
      const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
      return new SourceLines(document.errors.length === 0 ? document : undefined, lines);
    } catch {
      return new SourceLines(undefined, lines);
    }
  }

  /** The 1-based line where the key at `path` is written, when the whole path is in the source. */
  public line(path: readonly Step[]): number | undefined {
    if (!this.document) return undefined;
    const found = nodeAt(this.document, path);
    if (found.depth < path.length) return undefined;
    return this.lineOf((found.pair?.key as Node | undefined) ?? found.node);
  }

  /** The line of the deepest part of `path` that exists (line 1 for the template itself). */
  public nearestLine(path: readonly Step[]): number | undefined {
    if (!this.document) return undefined;
    const found = nodeAt(this.document, path);
    const depth = found.depth;
    if (depth === 0) return this.lineOf(this.document.contents as Node | null) ?? 1;
    return this.line(path.slice(0, depth));
  }

  private lineOf(node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}

/** Splits a report path such as `Resources.MyApi.Properties.Auth` (logical ids never contain dots). */
export function pathSteps(at: string): string[] {
  return at === "(template)" || at === "" ? [] : at.split(".");
}
