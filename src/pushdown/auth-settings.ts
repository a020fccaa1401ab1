import type { ApiModel, AuthKey } from "./apis";
import type { Edit } from "./edits";
import type { Json } from "./json";

/** The `Auth` settings an API's decisions ask for: each key's value once the rewrite is done. */
export type AuthTargets = Partial<Record<AuthKey, Json>>;

/** Settings the rewrite writes; SAM reads an absent one as `true` (both flags) or as no key. */
const WRITTEN: readonly AuthKey[] = [
  "ApiKeyRequired",
  "AddApiKeyRequiredToCorsPreflight",
  "AddDefaultAuthorizerToCorsPreflight",
];
const FLAG_DEFAULT = true;

/**
 * The edits that give each API the `Auth` settings its decisions ask for, and every other API exactly
 * the settings it had. The implicit API's settings live in `Globals.Api.Auth`, which explicit APIs may
 * inherit too: an explicit API whose inherited value would change where it should not gets the value it
 * had written on its own `Auth` ("pinned"), so only the APIs the macro means to change change.
 *
 * @param apis - every API of the template (pins may be needed on APIs the macro does not handle)
 * @param targets - per API id, the settings its decisions ask for
 */
export function authSettingEdits(
  apis: readonly ApiModel[],
  targets: ReadonlyMap<string, AuthTargets>,
): Edit[] {
  const edits: Edit[] = [];
  const globalWrites = new Map<AuthKey, Json>();
  const implicit = apis.find((api) => api.implicit);
  if (implicit) {
    for (const [key, value] of Object.entries(targets.get(implicit.id) ?? {}) as [AuthKey, Json][]) {
      if (same(implicit.auth[key]?.value, value)) continue;
      globalWrites.set(key, value);
      edits.push({ kind: "set", path: ["Globals", "Api", "Auth", key], value });
    }
  }
  for (const api of apis) {
    if (api.implicit) continue;
    const wanted = targets.get(api.id) ?? {};
    for (const key of WRITTEN) {
      const before = api.auth[key];
      const after =
        before?.origin !== "own" && api.inheritsGlobalAuth && globalWrites.has(key)
          ? globalWrites.get(key)
          : before?.value;
      const target = Object.hasOwn(wanted, key)
        ? wanted[key]
        : (before?.value ?? (after === undefined ? undefined : FLAG_DEFAULT));
      if (target === undefined || same(after, target)) continue;
      edits.push({
        kind: "set",
        path: [...api.propertiesPath, "Auth", key],
        value: target,
        ...(api.ownAuth ? { parent: api.ownAuth, key } : {}),
      });
    }
  }
  return edits;
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  return typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b);
}
