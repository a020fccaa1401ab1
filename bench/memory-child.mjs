// Measures the memory one piece of work needs, in a fresh process so nothing earlier is on the heap.
//
//   node --expose-gc --single-threaded-gc --min-semi-space-size=64 --max-semi-space-size=64 \
//     bench/memory-child.mjs parse|invoke|first-parse|first-invoke <file>
//
// "parse" only parses the template; "invoke" parses it and runs the handler once, as Lambda does for a
// macro event, once the process has run the handler on the same template before (so what V8 allocates
// while it tiers the handler's code up, once per process, is not counted). "first-parse" and
// "first-invoke" do the same in a process that has only loaded the bundle (which rewrites a small sample
// while it loads): the first invocation of a Lambda container, JIT data included, and its baseline. The
// template text is read before the baseline, so every mode starts from the same heap.
//
// Peak heap is taken as the growth of heapUsed over the work with no garbage collection inside it: a
// large fixed semi-space (the runner passes --min- and --max-semi-space-size) keeps the scavenger from
// running, so the growth is every byte the work allocated, live or not, which bounds its peak from
// above; --single-threaded-gc keeps a background sweeper from changing the figures while they are read.
// What is still alive after a full collection at the end bounds the peak from below. The output says
// how many collections did run inside the window, so a run where one slipped in can be spotted. The
// growth of maxRSS (the process's high-water mark) is reported beside it as the operating system's view.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PerformanceObserver, performance } from "node:perf_hooks";
import v8 from "node:v8";

const [mode, file] = process.argv.slice(2);

import { macroEvent } from "./stats.mjs";

const { handler } = createRequire(import.meta.url)("../dist/handler.js");
const text = readFileSync(file, "utf8");

const gcTimes = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcTimes.push(entry.startTime);
});
observer.observe({ entryTypes: ["gc"] });

const write = process.stdout.write;
if (!mode.startsWith("first-")) await warm();

/**
 * Runs the handler on the same template a few times. In a function of its own, so that no template it
 * parsed stays reachable from this module's frame and is freed only once the measured work has run.
 */
async function warm() {
  // Reflect.set: a plain assignment would read to the type checker as a second declaration of `write`.
  Reflect.set(process.stdout, "write", () => true);
  for (let i = 0; i < 10; i++) await handler(macroEvent(JSON.parse(text)));
  Reflect.set(process.stdout, "write", write);
}

// Every measuring call once before the baseline, so what they allocate the first time is not counted.
process.memoryUsage();
process.resourceUsage();
performance.now();
heapBytes();
globalThis.gc();
globalThis.gc();
const before = process.memoryUsage();
const spacesBefore = heapBytes();
const maxRssBefore = process.resourceUsage().maxRSS;
const start = performance.now();

let kept;
const parseOnly = mode.endsWith("parse");
if (parseOnly) {
  kept = JSON.parse(text);
} else {
  Reflect.set(process.stdout, "write", () => true);
  kept = await handler(macroEvent(JSON.parse(text)));
  Reflect.set(process.stdout, "write", write);
}

const end = performance.now();
const after = process.memoryUsage();
const spacesAfter = heapBytes();
const maxRssAfter = process.resourceUsage().maxRSS;
// GC entries are delivered asynchronously; give them a moment before counting.
await new Promise((resolve) => setTimeout(resolve, 20));
observer.disconnect();
// What is still alive once the garbage is gone (the parsed template and the answer): a lower bound
// on the peak, as the allocation above is an upper bound.
globalThis.gc();
globalThis.gc();
const retained = process.memoryUsage().heapUsed - before.heapUsed;

const result = {
  mode,
  heapBytes: after.heapUsed - before.heapUsed,
  // Data (every heap space but V8's code spaces) apart from the machine code the JIT compiles while the
  // work runs: the code is the process's, once, whatever the template.
  dataBytes: spacesAfter.data - spacesBefore.data,
  codeBytes: spacesAfter.code - spacesBefore.code,
  retainedBytes: kept === undefined ? 0 : retained,
  rssBytes: after.rss - before.rss,
  maxRssBytes: (maxRssAfter - maxRssBefore) * 1024,
  gcInside: gcTimes.filter((t) => t >= start && t <= end).length,
  ok: parseOnly ? typeof kept === "object" : kept.status === "success",
};
process.stdout.write(`${JSON.stringify(result)}\n`);

/** Bytes used in V8's code spaces and in every other space, from its own per-space figures. */
function heapBytes() {
  let code = 0;
  let data = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.space_name.startsWith("code")) code += space.space_used_size;
    else data += space.space_used_size;
  }
  return { code, data };
}
