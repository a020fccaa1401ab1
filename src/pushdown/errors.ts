/**
 * A part of the template the rewrite has to read is not of the shape SAM accepts there.
 * `path` is the place in the template (`["Resources", "MyFn", "Properties", "Events", "Get"]`; empty for
 * the template itself), `expected` what belongs there, `found` what is there instead.
 */
export class TemplateShapeError extends Error {
  public override readonly name = "TemplateShapeError";

  public constructor(
    public readonly path: readonly string[],
    public readonly expected: string,
    public readonly found: string,
  ) {
    super(`${path.length === 0 ? "(template)" : path.join(".")}: expected ${expected}, found ${found}`);
  }
}

/** The message of anything thrown: an `Error`'s own message, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
