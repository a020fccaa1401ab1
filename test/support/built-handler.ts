import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { MacroResponse } from "../../src/macro/handler";
import type { Json } from "../../src/pushdown";

/** A macro event as CloudFormation sends it (the handler reads only some of these fields). */
export interface RawMacroEvent {
  readonly region: string;
  readonly accountId: string;
  readonly fragment: Json;
  readonly transformId: string;
  readonly params: Record<string, unknown>;
  readonly requestId: string;
  readonly templateParameterValues: Record<string, unknown>;
}

const BUNDLE = join(__dirname, "..", "..", "dist", "handler.js");

/** The built Lambda bundle, loaded the way the Lambda runtime loads it (CommonJS `require`). */
export function loadBuiltHandler(): (event: RawMacroEvent) => Promise<MacroResponse> {
  if (!existsSync(BUNDLE))
    throw new Error(`${BUNDLE} is missing: run npm run build (npm test does it first)`);
  const module = createRequire(__filename)(BUNDLE) as {
    handler: (event: RawMacroEvent) => Promise<MacroResponse>;
  };
  return module.handler;
}

/** A macro event as CloudFormation sends it, around a template. */
export function macroEvent(fragment: Json, requestId = "test-request"): RawMacroEvent {
  return {
    region: "us-east-1",
    accountId: "123456789012",
    fragment,
    transformId: "123456789012::CorsKeyPushdown",
    params: {},
    requestId,
    templateParameterValues: {},
  };
}

/** Runs the built handler with its log line kept off the test output. */
export async function runBuiltHandler(fragment: Json, requestId?: string): Promise<MacroResponse> {
  const handler = loadBuiltHandler();
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await handler(macroEvent(fragment, requestId));
  } finally {
    process.stdout.write = write;
  }
}
