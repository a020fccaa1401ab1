import type { Json, JsonMap } from "../../src/pushdown";

/** Small builders for SAM-shaped test templates, so each test shows only what it is about. */
export function template(resources: JsonMap, globals?: JsonMap): JsonMap {
  const base: JsonMap = { Transform: "AWS::Serverless-2016-10-31", Resources: resources };
  return globals ? { ...base, Globals: globals } : base;
}

export function api(properties: JsonMap = {}, attributes: JsonMap = {}): JsonMap {
  return { Type: "AWS::Serverless::Api", ...attributes, Properties: { StageName: "Prod", ...properties } };
}

export function fn(events: JsonMap, type = "AWS::Serverless::Function"): JsonMap {
  const code: JsonMap =
    type === "AWS::Serverless::Function" ? { Runtime: "nodejs22.x", Handler: "index.handler" } : {};
  return { Type: type, Properties: { ...code, Events: events } };
}

export function route(path: string, method: string, extra: JsonMap = {}): JsonMap {
  return { Type: "Api", Properties: { Path: path, Method: method, ...extra } };
}

/** Reads a nested value by path, for assertions. */
export function at(value: Json | undefined, ...path: string[]): Json | undefined {
  let node = value;
  for (const key of path) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
    node = Object.hasOwn(node, key) ? node[key] : undefined;
  }
  return node;
}
