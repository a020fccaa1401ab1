import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WARM_UP_VARIABLE, warmUp } from "../../src/macro/handler";
import { warmUpEvent } from "../../src/macro/warm-up";
import { pushDownApiKeys } from "../../src/pushdown";

const BUNDLE = join(__dirname, "..", "..", "dist", "handler.js");

describe("the warm-up run while the handler's module loads", () => {
  it("rewrites its sample successfully, so the load compiles the rewrite instead of failing early", () => {
    // Act
    const answer = warmUp();

    // Assert
    expect(answer?.status).toBe("success");
    expect(answer?.errorMessage).toBeUndefined();
  });

  it("takes the rewrite through every strategy, the authorizer, opt-outs, OPTIONS routes and error answers", () => {
    // Act
    const { report } = pushDownApiKeys(warmUpEvent().fragment);

    // Assert: the paths a real template takes are the ones compiled at load
    expect(new Set(report.apis.map((api) => api.strategy))).toEqual(
      new Set(["pushdown", "preflight-exemption"]),
    );
    expect(report.apis.some((api) => api.authorizer?.freed)).toBe(true);
    expect(report.apis.every((api) => (api.gatewayResponses?.added.length ?? 0) > 0)).toBe(true);
    expect(report.optOuts).toHaveLength(1);
    expect(report.routes.map((route) => route.protection)).toEqual(
      expect.arrayContaining(["added", "kept", "preflight", "api-level"]),
    );
    expect(report.warnings).toEqual([]);
  });

  it("gives a fresh sample each time, since the rewrite edits the handler's event in place", () => {
    // Arrange
    const first = warmUpEvent();

    // Act
    warmUp();

    // Assert
    expect(warmUpEvent()).toEqual(first);
    expect(warmUpEvent().fragment).not.toBe(first.fragment);
  });

  it("writes nothing when the built bundle loads: the Lambda log holds only real invocations", () => {
    // Act
    const loaded = load({});

    // Assert
    expect(loaded.status).toBe(0);
    expect(loaded.stdout).toBe("");
    expect(loaded.stderr).toBe("");
  });

  it.each([
    ["unset", undefined, "success"],
    ["on", "on", "success"],
    ["off", "off", "undefined"],
    ["OFF", "OFF", "undefined"],
    ["false", "false", "undefined"],
    ["0", "0", "undefined"],
  ])(
    "runs when the built bundle loads unless CORS_KEY_PUSHDOWN_WARM_UP says not to (%s)",
    (_name, value, status) => {
      // Arrange
      const env: Record<string, string> = value === undefined ? {} : { [WARM_UP_VARIABLE]: value };

      // Act
      const loaded = load(env, "process.stdout.write(String(warmUpAnswer?.status))");

      // Assert
      expect(loaded.stdout).toBe(status);
    },
  );
});

/** Loads the built bundle in a fresh Node.js process, then runs `then` with its exports in scope. */
function load(env: Record<string, string>, then = "") {
  const script = `const { warmUpAnswer } = require(${JSON.stringify(BUNDLE)}); ${then}`;
  const inherited = { ...process.env };
  delete inherited[WARM_UP_VARIABLE];
  return spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...inherited, ...env } });
}
