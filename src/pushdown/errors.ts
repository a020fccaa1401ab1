/**
 * A part of the template the rewrite has to read is not of the shape SAM accepts there.
 * `at` is the place in the template (`Resources.MyFn.Properties.Events.Get`), `expected` what belongs there.
 */
export class TemplateShapeError extends Error {
  public override readonly name = "TemplateShapeError";

  public constructor(
    public readonly at: string,
    public readonly expected: string,
    public readonly found: string,
  ) {
    super(`${at}: expected ${expected}, found ${found}`);
  }
}
