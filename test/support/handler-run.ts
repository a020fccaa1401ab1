import { expect, vi } from "vitest";
import { handler, type MacroResponse } from "../../src/macro/handler";
import type { Json, JsonMap } from "../../src/pushdown";
import { isMap } from "../../src/pushdown/json";
import { macroEvent, type RawMacroEvent } from "./built-handler";

/**
 * How many generated cases a property runs: `defaults` normally, scaled up when `FUZZ_RUNS` asks for a
 * larger campaign (`npm run fuzz`), never below the default.
 */
export function fuzzRuns(defaults: number, share = 1): number {
  const asked = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(asked) && asked > 0 ? Math.max(defaults, Math.round(asked * share)) : defaults;
}

/** The seed every property in a run shares, printed so a failing campaign can be replayed. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED) || Date.now() % 2_147_483_647;

/** Runs the Lambda handler on a raw event with its log line kept off the test output. */
export async function runHandler(event: unknown): Promise<MacroResponse> {
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    return await handler(event);
  } finally {
    write.mockRestore();
  }
}

/** A macro event as CloudFormation sends it, around a template. */
export function eventFor(fragment: Json, requestId = "req-1"): RawMacroEvent {
  return macroEvent(fragment, requestId);
}

const BASELINE = Object.getOwnPropertyNames(Object.prototype).sort();

/** Fails when anything has written onto `Object.prototype` (every robustness test checks after itself). */
export function expectPrototypeClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(BASELINE);
  const probe = {} as Record<string, unknown>;
  for (const key of ["ApiKeyRequired", "Auth", "Properties", "polluted", "x"])
    expect(probe[key], `Object.prototype.${key}`).toBeUndefined();
}

/**
 * The template with every path the report lists as changed taken out, and maps emptied only by that
 * taken out too: what must be identical between input and output.
 */
export function outsideChanges(
  value: Json | undefined,
  changes: readonly (readonly string[])[],
): Json | undefined {
  return strip(value, "", new Set(changes.map(joined)));
}

/** A path as one string; NUL never occurs in template keys, so no two paths collide. */
function joined(path: readonly string[]): string {
  return path.join("\u0000");
}

function strip(value: Json | undefined, at: string, changes: ReadonlySet<string>): Json | undefined {
  if (!isMap(value)) return value;
  const result: JsonMap = {};
  for (const [key, child] of Object.entries(value)) {
    const path = at ? `${at}\u0000${key}` : key;
    if (changes.has(path)) continue;
    const onPath = [...changes].some((change) => change.startsWith(`${path}\u0000`));
    const kept = onPath ? strip(child, path, changes) : child;
    // A map the rewrite created, or one whose only contents it replaced, is no difference of its own.
    if (onPath && isMap(kept) && Object.keys(kept).length === 0) continue;
    Object.defineProperty(result, key, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/**
 * Template paths (dotted) of the untouched subtrees of `before` that `after` holds as copies: every map
 * or list off the changed paths must be the very same object, shared, not copied.
 */
export function copiedSubtrees(before: Json, after: Json, paths: readonly (readonly string[])[]): string[] {
  const changes = paths.map(joined);
  const copied: string[] = [];
  const visit = (a: Json | undefined, b: Json | undefined, at: string) => {
    const onPath = at === "" || changes.some((change) => change === at || change.startsWith(`${at}\u0000`));
    if (!onPath) {
      if (typeof a === "object" && a !== null && a !== b) copied.push(at.replaceAll("\u0000", "."));
      return;
    }
    if (!isMap(a) || !isMap(b)) return;
    for (const key of Object.keys(b)) {
      if (Object.hasOwn(a, key)) visit(a[key], b[key], at ? `${at}\u0000${key}` : key);
    }
  };
  visit(before, after, "");
  return copied;
}
