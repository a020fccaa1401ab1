import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { warmUp } from "../../src/macro/handler";
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
    const loaded = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(BUNDLE)})`], {
      encoding: "utf8",
    });

    // Assert
    expect(loaded.status).toBe(0);
    expect(loaded.stdout).toBe("");
    expect(loaded.stderr).toBe("");
  });
});
