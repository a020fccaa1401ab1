import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Strategy } from "../../src/pushdown";
import {
  type AuthorizerFacts,
  decideAuthorizer,
  decideKey,
  type KeyFacts,
} from "../../src/pushdown/strategy";

/** An API with Cors and plain Api-event routes: what most templates hold. */
const EVERYDAY: KeyFacts = {
  alreadyExempt: false,
  definitionUriOnly: false,
  hasPreflights: true,
  hasMethods: true,
  hasBody: false,
  mergeDefinitions: false,
  blockedRoute: undefined,
  hidden: undefined,
  intrinsicDefaultAuthorizer: false,
  intrinsicInvokeRole: false,
  keyedOptions: [],
  opaqueBody: undefined,
};
const AT = ["Resources", "Api", "Properties"];
const KEYED_OPTIONS = [
  { name: "Fn.Events.Opt (OPTIONS /x)", at: ["Resources", "Fn", "Properties", "Events", "Opt"] },
];

/** One row per line of the README's table "How the key comes off the preflights". */
const TABLE: [string, Partial<KeyFacts>, Strategy, RegExp][] = [
  ["routes from Api events (any DefaultAuthorizer, opt-outs, OPTIONS routes)", {}, "pushdown", /every route/],
  [
    "an OPTIONS route that asks for the key itself",
    { keyedOptions: KEYED_OPTIONS },
    "pushdown",
    /every route/,
  ],
  [
    "routes generated later by Fn::ForEach",
    { hidden: ["Resources", "Fn::ForEach::Fns"] },
    "preflight-exemption",
    /Fn::ForEach::Fns/,
  ],
  ["an inline DefinitionBody", { hasBody: true }, "preflight-exemption", /DefinitionBody/],
  ["MergeDefinitions", { mergeDefinitions: true }, "preflight-exemption", /MergeDefinitions/],
  [
    "a route with OverrideApiAuth or an intrinsic Auth",
    { blockedRoute: "Fn.Events.Get (GET /x)" },
    "preflight-exemption",
    /Fn\.Events\.Get/,
  ],
  [
    "a DefaultAuthorizer given as an intrinsic",
    { intrinsicDefaultAuthorizer: true },
    "preflight-exemption",
    /intrinsic/,
  ],
  [
    "an intrinsic InvokeRole (SAM resolves it at the first route with an Auth)",
    { intrinsicInvokeRole: true },
    "preflight-exemption",
    /InvokeRole/,
  ],
  [
    "an exemption case with an OPTIONS handler asking for the key",
    { hasBody: true, keyedOptions: KEYED_OPTIONS },
    "unchanged",
    /asks for it itself/,
  ],
  [
    "an exemption case with a body that cannot be read",
    { hasBody: true, opaqueBody: "DefinitionBody is an intrinsic" },
    "unchanged",
    /intrinsic/,
  ],
  ["AddApiKeyRequiredToCorsPreflight already false", { alreadyExempt: true }, "unchanged", /already false/],
  ["an API defined by DefinitionUri", { definitionUriOnly: true }, "unchanged", /DefinitionUri/],
  ["no Cors and no preflights in a body", { hasPreflights: false }, "unchanged", /no Cors/],
  ["no routes", { hasMethods: false }, "unchanged", /no routes/],
];

describe("decideKey: the README's table, one row each", () => {
  it.each(TABLE)("%s: %s", (_row, facts, strategy, reason) => {
    // Act
    const decision = decideKey({ ...EVERYDAY, ...facts }, AT);

    // Assert
    expect(decision.strategy).toBe(strategy);
    expect(decision.reason).toMatch(reason);
  });

  it("warns at the route when an OPTIONS handler keeps the key it asks for", () => {
    // Act
    const decision = decideKey({ ...EVERYDAY, keyedOptions: KEYED_OPTIONS }, AT);

    // Assert
    expect(decision.warnings).toEqual([
      { at: KEYED_OPTIONS[0]?.at, message: expect.stringMatching(/browsers still get 403/) },
    ]);
  });

  it("warns at the API whenever it leaves keyed preflights in place for a reason the user can act on", () => {
    // Act
    const decision = decideKey({ ...EVERYDAY, mergeDefinitions: true, keyedOptions: KEYED_OPTIONS }, AT);

    // Assert
    expect(decision.warnings).toEqual([
      {
        at: AT,
        message: expect.stringMatching(/^preflights still require the key/),
        preflightsKeepKey: true,
      },
    ]);
  });

  it("never pushes down where a route could not carry the key, whatever else holds", () => {
    const facts = fc.record({
      alreadyExempt: fc.boolean(),
      definitionUriOnly: fc.boolean(),
      hasPreflights: fc.boolean(),
      hasMethods: fc.boolean(),
      hasBody: fc.boolean(),
      mergeDefinitions: fc.boolean(),
      blockedRoute: fc.option(fc.constant("Fn.Events.Get (GET /x)"), { nil: undefined }),
      hidden: fc.option(fc.constant(["Resources", "Fn::ForEach::X"]), { nil: undefined }),
      intrinsicDefaultAuthorizer: fc.boolean(),
      intrinsicInvokeRole: fc.boolean(),
      keyedOptions: fc.constantFrom([], KEYED_OPTIONS),
      opaqueBody: fc.option(fc.constant("DefinitionBody is an intrinsic"), { nil: undefined }),
    });
    fc.assert(
      fc.property(facts, (input) => {
        // Act
        const { strategy } = decideKey(input, AT);

        // Assert
        const cannotCarry =
          input.hasBody ||
          input.mergeDefinitions ||
          input.blockedRoute !== undefined ||
          input.hidden !== undefined ||
          input.intrinsicDefaultAuthorizer ||
          input.intrinsicInvokeRole;
        if (cannotCarry) expect(strategy).not.toBe("pushdown");
        // The exemption strips every OPTIONS method's key, so never where one asks for it itself.
        if (input.keyedOptions.length > 0) expect(strategy).not.toBe("preflight-exemption");
      }),
    );
  });
});

describe("decideAuthorizer", () => {
  const FREE: AuthorizerFacts = { name: "Pool", alreadyFreed: false, keep: false, definitionUriOnly: false };

  it.each<[string, Partial<AuthorizerFacts>, { freed: boolean; changed: boolean }]>([
    ["frees the preflights by default", {}, { freed: true, changed: true }],
    ["keeps it when the template asks to", { keep: true }, { freed: false, changed: false }],
    [
      "has nothing to do when it is already off the preflights",
      { alreadyFreed: true },
      { freed: true, changed: false },
    ],
    ["leaves a DefinitionUri API alone", { definitionUriOnly: true }, { freed: false, changed: false }],
  ])("%s", (_name, facts, expected) => {
    // Act
    const outcome = decideAuthorizer({ ...FREE, ...facts });

    // Assert
    expect(outcome).toMatchObject({ name: "Pool", ...expected });
  });
});
