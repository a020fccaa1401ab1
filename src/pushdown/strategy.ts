import type { AuthorizerOutcome, Strategy, TemplatePath, Warning } from "./report";

/** What decides how an API's key is kept off its preflights; each fact is read from the template. */
export interface KeyFacts {
  /** `AddApiKeyRequiredToCorsPreflight` is already false (after SAM resolves parameters). */
  readonly alreadyExempt: boolean;
  /** The API is defined by `DefinitionUri` alone, which SAM does not edit for Auth. */
  readonly definitionUriOnly: boolean;
  /** SAM will add preflights (`Cors`), or the body has mock `options` operations of its own. */
  readonly hasPreflights: boolean;
  /** The API has routes, a body, or may get routes generated later. */
  readonly hasMethods: boolean;
  /** An inline `DefinitionBody`: SAM ignores route `Auth` there, so routes cannot carry the key. */
  readonly hasBody: boolean;
  /** `MergeDefinitions`: SAM drops a route's own `api_key` security definition. */
  readonly mergeDefinitions: boolean;
  /** A route SAM would not carry a key on (`OverrideApiAuth`, intrinsic `Auth`): its name and why. */
  readonly blockedRoute: string | undefined;
  /** A `Fn::ForEach` block that may generate routes after the macro ran. */
  readonly hidden: TemplatePath | undefined;
  /** `DefaultAuthorizer` is an intrinsic: which routes SAM gives caller credentials cannot be known. */
  readonly intrinsicDefaultAuthorizer: boolean;
  /**
   * An intrinsic `InvokeRole`: SAM resolves the API's `Auth` in place at the first route with an `Auth`
   * of its own (in path order), so adding or removing a route's `Auth` changes which routes get the
   * resolved credentials.
   */
  readonly intrinsicInvokeRole: boolean;
  /** `OPTIONS` routes or body handlers that ask for the key themselves, with where they are. */
  readonly keyedOptions: readonly { readonly name: string; readonly at: TemplatePath }[];
  /** Part of the body that cannot be read, so what an exemption would open is unknown. */
  readonly opaqueBody: string | undefined;
}

/** The strategy chosen for one keyed API, why, and anything the user should hear about it. */
export interface Decision {
  readonly strategy: Strategy;
  readonly reason: string;
  readonly warnings: readonly Warning[];
}

/**
 * Picks how to free an API's preflights of the key while every other method keeps it, as API Gateway
 * reads methods (the order of `security` entries and an empty `security: []` are no difference).
 *
 * Pushdown (the key on every route, none on the API) is the default, as the user asked. SAM's own
 * `AddApiKeyRequiredToCorsPreflight: false` is used only where routes cannot carry the key; as it strips
 * the key from every `OPTIONS` method, an `OPTIONS` handler that asks for the key itself then keeps the
 * API as it was.
 */
export function decideKey(facts: KeyFacts, apiAt: TemplatePath): Decision {
  if (facts.alreadyExempt) return unchanged("AddApiKeyRequiredToCorsPreflight is already false");
  if (facts.definitionUriOnly)
    return unchanged("the API is defined by DefinitionUri, which SAM does not edit for Auth");
  if (!facts.hasPreflights) return unchanged("the API has no Cors, so SAM adds no preflights");
  if (!facts.hasMethods) return unchanged("the API has no routes, so SAM adds no preflights");
  const keyedOptionsWarnings = facts.keyedOptions.map(({ name, at }) => ({
    at,
    message: `${name} is an OPTIONS handler that asks for the key itself, so browsers still get 403 on that path's preflight; remove its ApiKeyRequired if it answers preflights`,
  }));
  const cause = exemptionCause(facts);
  if (cause === undefined)
    return {
      strategy: "pushdown",
      reason: "every route now carries the key itself",
      warnings: keyedOptionsWarnings,
    };
  if (facts.opaqueBody !== undefined) {
    const reason = `${cause}, and ${facts.opaqueBody}, so what an exemption would open is unknown`;
    return {
      strategy: "unchanged",
      reason,
      warnings: [
        { at: apiAt, message: `preflights still require the key: ${reason}`, preflightsKeepKey: true },
      ],
    };
  }
  if (facts.keyedOptions.length > 0) {
    const names = facts.keyedOptions.map(({ name }) => name).join(", ");
    const reason = `${cause}, and SAM's exemption would also take the key off ${names}, which asks for it itself`;
    return {
      strategy: "unchanged",
      reason,
      warnings: [
        { at: apiAt, message: `preflights still require the key: ${reason}`, preflightsKeepKey: true },
      ],
    };
  }
  return {
    strategy: "preflight-exemption",
    reason: `${cause}; SAM's AddApiKeyRequiredToCorsPreflight: false keeps the key on every other method`,
    warnings: [],
  };
}

/** Why routes cannot carry the key, or `undefined` when they can. */
function exemptionCause(facts: KeyFacts): string | undefined {
  if (facts.hidden)
    return `routes may be generated after the macro runs (${facts.hidden.join(".")}), and a key pushed down would miss them`;
  if (facts.hasBody) return "SAM ignores route Auth on an API with a DefinitionBody";
  if (facts.mergeDefinitions) return "SAM drops a route's own api_key definition under MergeDefinitions";
  if (facts.blockedRoute) return `SAM would not carry a key written on ${facts.blockedRoute}`;
  if (facts.intrinsicDefaultAuthorizer)
    return "the DefaultAuthorizer is an intrinsic, so which routes SAM gives caller credentials is not known";
  if (facts.intrinsicInvokeRole)
    return "the API's InvokeRole is an intrinsic that SAM would resolve part way through the routes, changing their credentials";
  return undefined;
}

function unchanged(reason: string): Decision {
  return { strategy: "unchanged", reason, warnings: [] };
}

/** What decides whether an API's default authorizer comes off its preflights. */
export interface AuthorizerFacts {
  /** The `DefaultAuthorizer` as written, for the report. */
  readonly name: string;
  /** `AddDefaultAuthorizerToCorsPreflight` is already false (after SAM resolves parameters). */
  readonly alreadyFreed: boolean;
  /** `Metadata.CorsKeyPushdown.KeepDefaultAuthorizerOnPreflights: true`. */
  readonly keep: boolean;
  readonly definitionUriOnly: boolean;
}

/**
 * Frees the preflights of a default authorizer (browsers send no token on a preflight) with SAM's
 * `AddDefaultAuthorizerToCorsPreflight: false`, which leaves every other method's authorizer as it was,
 * unless the template keeps it on purpose.
 */
export function decideAuthorizer(facts: AuthorizerFacts): AuthorizerOutcome {
  const { name } = facts;
  if (facts.definitionUriOnly)
    return {
      name,
      freed: false,
      changed: false,
      reason: "the API is defined by DefinitionUri, which SAM does not edit",
    };
  if (facts.alreadyFreed)
    return {
      name,
      freed: true,
      changed: false,
      reason: "AddDefaultAuthorizerToCorsPreflight is already false",
    };
  if (facts.keep)
    return {
      name,
      freed: false,
      changed: false,
      reason: "kept on purpose (Metadata.CorsKeyPushdown.KeepDefaultAuthorizerOnPreflights)",
    };
  return {
    name,
    freed: true,
    changed: true,
    reason:
      "browsers send no token on a preflight; SAM's AddDefaultAuthorizerToCorsPreflight: false keeps it on every other method",
  };
}
