// The first call in a fresh process, as most macro invocations are (each Lambda container is new):
//
//   node bench/first-call-child.mjs <template.json> handler-first|stringify-first [warm-up|no-warm-up]
//
// Loads the bundle (timed: with its warm-up, or with CORS_KEY_PUSHDOWN_WARM_UP=off), parses the
// template twice (one copy for the handler, which edits its event in place, one for JSON.stringify),
// then times the handler's first invocation and the process's first JSON.stringify of the same
// template, in the order asked, so neither always runs after the other.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { macroEvent } from "./stats.mjs";

const [file, order, warmUp = "warm-up"] = process.argv.slice(2);
// Set or cleared either way, so a value in the runner's own environment cannot turn both variants into one.
if (warmUp === "no-warm-up") process.env.CORS_KEY_PUSHDOWN_WARM_UP = "off";
else delete process.env.CORS_KEY_PUSHDOWN_WARM_UP;
const loadStart = performance.now();
const { handler } = createRequire(import.meta.url)("../dist/handler.js");
const loadMs = performance.now() - loadStart;
const text = readFileSync(file, "utf8");
const forHandler = JSON.parse(text);
const forStringify = JSON.parse(text);
const write = process.stdout.write;

async function timeHandler() {
  Reflect.set(process.stdout, "write", () => true);
  const t0 = performance.now();
  const answer = await handler(macroEvent(forHandler));
  const ms = performance.now() - t0;
  Reflect.set(process.stdout, "write", write);
  if (answer.status !== "success") throw new Error(answer.errorMessage);
  return ms;
}

function timeStringify() {
  const t0 = performance.now();
  JSON.stringify(forStringify);
  return performance.now() - t0;
}

let handlerMs;
let stringifyMs;
if (order === "stringify-first") {
  stringifyMs = timeStringify();
  handlerMs = await timeHandler();
} else {
  handlerMs = await timeHandler();
  stringifyMs = timeStringify();
}
process.stdout.write(`${JSON.stringify({ loadMs, handlerMs, stringifyMs })}\n`);
