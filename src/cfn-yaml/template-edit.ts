import type { Json } from "../pushdown";

/** A change to the template, like the core's edits, plus removing one item of a list. */
export type TemplateEdit =
  | {
      readonly kind: "set";
      readonly path: readonly string[];
      readonly value: Json;
      readonly source?: readonly (string | number)[];
    }
  | { readonly kind: "delete"; readonly path: readonly string[] }
  | { readonly kind: "delete-item"; readonly path: readonly string[]; readonly index: number };
