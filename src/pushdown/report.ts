/** How the macro keeps an API's key off its CORS preflights. */
export type Strategy =
  /** `ApiKeyRequired: false` on the API, `ApiKeyRequired` on every route. */
  | "pushdown"
  /** SAM's own `AddApiKeyRequiredToCorsPreflight: false`: the key stays on the API, preflights are exempt. */
  | "preflight-exemption"
  /** Left as written; `reason` says why. */
  | "unchanged";

/** What the macro did with one API that requires a key. */
export interface ApiOutcome {
  readonly api: string;
  /** Where the key requirement was written: the API's own `Auth` or `Globals.Api.Auth`. */
  readonly keyFrom: "own" | "globals";
  readonly strategy: Strategy;
  readonly reason: string;
  /**
   * True when SAM's output for this API is the original output with only the preflights' key gone.
   * False only for a pushdown forced by OPTIONS routes of the user's own, where SAM lists security
   * requirements in another order, writes no empty `security` list for opt-outs and drops its `NONE`
   * marker; API Gateway reads both forms the same way.
   */
  readonly exact: boolean;
}

/** How one route ends up protected. */
export type RouteProtection =
  /** The macro wrote `ApiKeyRequired` on the route. */
  | "added"
  /** The route already said `ApiKeyRequired` itself. */
  | "kept"
  /** The key still comes from the API (preflight exemption or unchanged API). */
  | "api-level";

/** One route of an API that requires a key. */
export interface RouteOutcome {
  readonly api: string;
  readonly route: string;
  readonly at: string;
  readonly protection: RouteProtection;
}

/** A route that says `ApiKeyRequired: false` on an API that requires a key. */
export interface OptOut {
  readonly api: string;
  readonly route: string;
  readonly at: string;
}

/** Something the user should know; `at` is the place in the template. */
export interface Warning {
  readonly at: string;
  readonly message: string;
}

/** Everything the rewrite decided, for logs, the CLI and tests. */
export interface PushdownReport {
  readonly apis: readonly ApiOutcome[];
  readonly routes: readonly RouteOutcome[];
  readonly optOuts: readonly OptOut[];
  readonly warnings: readonly Warning[];
  /** Template paths the rewrite set or deleted; everything else is returned as it came in. */
  readonly changes: readonly string[];
}
