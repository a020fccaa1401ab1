// `npm run bench`: how much the macro costs next to what surrounds it. Prints a table and writes every
// figure to bench/results/latest.json. It measures, it never fails: goals are reported, not enforced.
//
// Parts, in order (the slow SAM translator last, so a tight time budget only trims its runs):
//   1. transform time of the built handler vs one JSON.stringify of the same template, interleaved
//   2. cold start of a Node process that loads dist/handler.js vs a bare one, alternated
//   3. memory of one invocation vs parsing the template alone, each in a fresh process
//   4. the real SAM translator on the macro's output, timed from inside Python
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { generateTemplate } from "./generate.mjs";
import { logLogSlope, macroEvent, median, summary } from "./stats.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS = join(ROOT, "bench", "results");
const HANDLER = join(ROOT, "dist", "handler.js");
const SIZES = [10, 50, 200, 500];
const SEED = 1;
// The whole `npm run bench` must stay under two minutes even on a busy 2-core machine, where one SAM
// translation of the largest template alone can take 30 s: no further SAM run starts if it would end
// past this point (every size still gets one run).
const BUDGET_MS = 85_000;
const started = performance.now();

// The goals of the project's architecture issue: a warm call at most 0.15 of one JSON.stringify of the same
// template, the first call of a fresh process at most 1.0 of the first JSON.stringify there, one
// invocation's memory at most 1.25 of parsing the template alone, and time growing linearly with size
// (a log-log slope of at most 1.1 from 10 to 500 resources, about 1x to 40x the bytes).
const GOALS = {
  transformRatio: 0.15,
  firstCallRatio: 1.0,
  samShare: 0.01,
  coldStartRatio: 1.1,
  memoryRatio: 1.25,
  growthSlope: 1.1,
};

mkdirSync(RESULTS, { recursive: true });
const { handler } = createRequire(import.meta.url)(HANDLER);
const templates = SIZES.map((resources) => {
  const { template, routes } = generateTemplate(resources, SEED);
  return { resources, routes, template, bytes: Buffer.byteLength(JSON.stringify(template)) };
});
const largest = templates[templates.length - 1];
const largestFile = join(RESULTS, `template-${largest.resources}.json`);
writeFileSync(largestFile, JSON.stringify(largest.template));

const transform = [];
for (const entry of templates) transform.push(await measureTransform(entry));
const coldStart = measureColdStart();
const firstCall = measureFirstCall(largestFile);
const memory = measureMemory(largestFile);
const sam = await measureSam(transform);

const results = {
  date: new Date().toISOString(),
  machine: machine(),
  seed: SEED,
  goals: GOALS,
  transform: transform.map(({ output, ...rest }) => rest),
  growth: growth(transform, sam),
  sam,
  coldStart,
  firstCall,
  memory,
  bundleBytes: statSync(HANDLER).size,
  elapsedMs: Math.round(performance.now() - started),
};
writeFileSync(join(RESULTS, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(RESULTS, "latest.md"), report(results));
process.stdout.write(report(results));
process.stdout.write(`\nFigures written to bench/results/latest.json (${results.elapsedMs} ms in all)\n`);

// ---------------------------------------------------------------------------------------------------

/** Runs `fn` with the handler's per-invocation log line swallowed, so terminal I/O is not timed. */
async function quietly(fn) {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

/**
 * Handler and JSON.stringify on the same template, in alternating batches: whatever the shared machine
 * does to one round it does to both, so the per-round ratio is steadier than either time. The handler
 * still builds its log line (that is part of its work); only the write to stdout is dropped.
 */
async function measureTransform(entry) {
  // The handler edits the event it is given in place (it owns it, as in Lambda), so every call gets a
  // freshly parsed copy, made outside the timed loop.
  const text = JSON.stringify(entry.template);
  const freshEvent = () => macroEvent(JSON.parse(text));
  let pool = [];
  const runHandler = () => handler(pool.pop() ?? freshEvent());
  const runStringify = () => JSON.stringify(entry.template);
  return quietly(async () => {
    const output = await runHandler();
    if (output.status !== "success") throw new Error(`handler failed: ${output.errorMessage}`);
    // Warm-up: let V8 optimise both paths on this shape before anything is timed.
    const warmUntil = performance.now() + 300;
    while (performance.now() < warmUntil) {
      await runHandler();
      runStringify();
    }
    // Batches of at least ~15 ms each, so timer resolution never matters.
    const single = Math.max(await timeOnce(runHandler), await timeOnce(runStringify), 0.001);
    const batch = Math.max(1, Math.ceil(15 / single));
    // 31 rounds: with 15, one round in which a scavenge of the freshly parsed events lands in the
    // handler's batch moved the median by a tenth from run to run.
    const rounds = 31;
    const handlerMs = [];
    const stringifyMs = [];
    const ratios = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so neither always runs right after the other's garbage.
      const order = round % 2 === 0 ? ["h", "s"] : ["s", "h"];
      const times = {};
      for (const which of order) {
        const fn = which === "h" ? runHandler : runStringify;
        if (which === "h") pool = Array.from({ length: batch }, freshEvent);
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) await fn();
        times[which] = (performance.now() - t0) / batch;
      }
      handlerMs.push(times.h);
      stringifyMs.push(times.s);
      ratios.push(times.h / times.s);
    }
    const handlerSummary = summary(handlerMs);
    return {
      resources: entry.resources,
      bytes: entry.bytes,
      routes: entry.routes,
      batch,
      handlerMs: handlerSummary,
      stringifyMs: summary(stringifyMs),
      ratio: summary(ratios),
      handlerUsPerKb: (handlerSummary.median * 1000) / (entry.bytes / 1024),
      output: output.fragment,
    };
  });
}

async function timeOnce(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Fresh `node -e` processes, with and without loading the bundle, alternated after a warm-up. */
function measureColdStart() {
  const bare = ["-e", ""];
  const loaded = ["-e", "require('./dist/handler.js')"];
  const run = (args) => {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
    if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${child.status}`);
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) {
    run(bare);
    run(loaded);
  }
  const bareMs = [];
  const loadedMs = [];
  // 40 pairs, or fewer (never under 15) when a loaded machine makes each start slow.
  const stopAt = performance.now() + 10_000;
  for (let i = 0; i < 40 && (i < 15 || performance.now() < stopAt); i++) {
    // Swap the order each pair so neither always gets the warmer page cache.
    if (i % 2 === 0) {
      bareMs.push(run(bare));
      loadedMs.push(run(loaded));
    } else {
      loadedMs.push(run(loaded));
      bareMs.push(run(bare));
    }
  }
  return {
    bareMs: summary(bareMs),
    loadedMs: summary(loadedMs),
    ratio: median(loadedMs) / median(bareMs),
    // Each pair ran back to back, so its own ratio cancels slow drifts of a shared machine.
    pairedRatio: summary(loadedMs.map((ms, i) => ms / bareMs[i])),
  };
}

/**
 * Fresh processes, alternating the bundle as shipped (which rewrites a small sample while it loads, so
 * V8 compiles the rewrite there) with the same bundle told to skip that (CORS_KEY_PUSHDOWN_WARM_UP=off):
 * the first call of each, and the load plus the first call, which is what a new container costs in all.
 * They run on the Node.js that BENCH_NODE names, when set (say, a Node.js 24 binary, as Lambda runs).
 */
function measureFirstCall(file) {
  const node = process.env.BENCH_NODE || process.execPath;
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  const runs = { "warm-up": [], "no-warm-up": [] };
  for (let i = 0; i < 30; i++) {
    const variant = i % 2 === 0 ? "warm-up" : "no-warm-up";
    const order = i % 4 < 2 ? "handler-first" : "stringify-first";
    const child = spawnSync(node, [join(ROOT, "bench", "first-call-child.mjs"), file, order, variant], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(`first-call child failed: ${child.stderr}`);
    runs[variant].push(JSON.parse(child.stdout.trim().split("\n").pop()));
  }
  const figures = (list) => {
    const handlerMs = list.map((run) => run.handlerMs);
    const stringifyMs = list.map((run) => run.stringifyMs);
    return {
      loadMs: summary(list.map((run) => run.loadMs)),
      handlerMs: summary(handlerMs),
      stringifyMs: summary(stringifyMs),
      loadAndCallMs: summary(list.map((run) => run.loadMs + run.handlerMs)),
      ratio: median(handlerMs) / median(stringifyMs),
      pairedRatio: summary(handlerMs.map((ms, i) => ms / stringifyMs[i])),
    };
  };
  return { node: version, ...figures(runs["warm-up"]), withoutWarmUp: figures(runs["no-warm-up"]) };
}

/** Alternating fresh processes for "parse" and "invoke"; see memory-child.mjs for what is measured. */
function measureMemory(file) {
  const runs = { parse: [], invoke: [], "first-parse": [], "first-invoke": [] };
  for (let i = 0; i < 5; i++) {
    for (const mode of Object.keys(runs)) {
      const child = spawnSync(
        process.execPath,
        [
          "--expose-gc",
          "--single-threaded-gc",
          "--min-semi-space-size=64",
          "--max-semi-space-size=64",
          join(ROOT, "bench", "memory-child.mjs"),
          mode,
          file,
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      if (child.status !== 0) throw new Error(`memory child (${mode}) failed: ${child.stderr}`);
      runs[mode].push(JSON.parse(child.stdout.trim().split("\n").pop()));
    }
  }
  const pick = (mode, key) => summary(runs[mode].map((run) => run[key]));
  const of = (key) => ({
    parse: pick("parse", key),
    invoke: pick("invoke", key),
    firstParse: pick("first-parse", key),
    firstInvoke: pick("first-invoke", key),
  });
  const heap = of("heapBytes");
  const data = of("dataBytes");
  const code = of("codeBytes");
  const retained = of("retainedBytes");
  const maxRss = of("maxRssBytes");
  return {
    measure:
      "heapUsed growth with no GC inside the work (all bytes allocated: an upper bound on the peak); retained heap after a full GC (a lower bound)",
    gcInside: Math.max(...Object.values(runs).flatMap((list) => list.map((r) => r.gcInside))),
    heapBytes: heap,
    dataBytes: data,
    codeBytes: code,
    retainedBytes: retained,
    maxRssBytes: maxRss,
    ratioUpper: heap.invoke.median / heap.parse.median,
    ratioData: data.invoke.median / data.parse.median,
    ratioLower: retained.invoke.median / retained.parse.median,
    ratioFirstInvoke: heap.firstInvoke.median / heap.firstParse.median,
    ratioFirstInvokeData: data.firstInvoke.median / data.firstParse.median,
  };
}

/**
 * The macro's output through the real SAM translator, one Python process for the whole batch. Runs
 * are requested one at a time so the time budget can stop them; every size gets at least one.
 */
async function measureSam(transformed) {
  const runsWanted = { 10: 5, 50: 5, 200: 3, 500: 3 };
  const python = spawn("python3", [join(ROOT, "bench", "sam_time.py")], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "ignore"],
  });
  const lines = createInterface({ input: python.stdout })[Symbol.asyncIterator]();
  const ask = async (id, template) => {
    python.stdin.write(`${JSON.stringify({ id, template, runs: 1 })}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error("the SAM timer exited early");
    return JSON.parse(value);
  };
  const results = [];
  try {
    for (const entry of transformed) {
      const ms = [];
      let error;
      for (let run = 0; run < (runsWanted[entry.resources] ?? 3); run++) {
        const expected = ms.length > 0 ? Math.max(...ms) : 0;
        if (run > 0 && performance.now() - started + expected > BUDGET_MS) break;
        const answer = await ask(`${entry.resources}`, entry.output);
        if (answer.fatal || !answer.ok) {
          error = answer.fatal ?? answer.error;
          break;
        }
        ms.push(answer.ms[0]);
      }
      const handlerMedian = entry.handlerMs.median;
      results.push({
        resources: entry.resources,
        ok: error === undefined,
        ...(error === undefined
          ? {
              samMs: summary(ms),
              macroShare: handlerMedian / (handlerMedian + median(ms)),
            }
          : { error }),
      });
      if (error !== undefined && results.length === 1 && /not installed/.test(error)) break;
    }
  } finally {
    python.stdin.end();
  }
  return results;
}

function growth(transformed, sam) {
  const bytes = transformed.map((t) => t.bytes);
  const samOk = sam.filter((s) => s.ok);
  return {
    handlerSlope: logLogSlope(
      bytes,
      transformed.map((t) => t.handlerMs.median),
    ),
    stringifySlope: logLogSlope(
      bytes,
      transformed.map((t) => t.stringifyMs.median),
    ),
    samSlope:
      samOk.length >= 2
        ? logLogSlope(
            samOk.map((s) => transformed.find((t) => t.resources === s.resources).bytes),
            samOk.map((s) => s.samMs.median),
          )
        : null,
  };
}

function machine() {
  let python = "";
  const probe = spawnSync(
    "python3",
    ["-c", "import sys, samtranslator; print(sys.version.split()[0], samtranslator.__version__)"],
    {
      encoding: "utf8",
    },
  );
  if (probe.status === 0) python = probe.stdout.trim();
  return {
    nproc: os.availableParallelism(),
    cpu: cpuModel(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    pythonAndSamTranslator: python,
  };
}

function cpuModel() {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    return line ? line.split(":")[1].trim() : os.cpus()[0]?.model;
  } catch {
    return os.cpus()[0]?.model;
  }
}

// ---------------------------------------------------------------------------------------------------
// Report: a Markdown table that reads well in a terminal and pastes into docs/benchmarks.md.

function report(r) {
  const ms = (s) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  const kb = (bytes) => `${(bytes / 1024).toFixed(0)}`;
  const pct = (x) => `${(x * 100).toFixed(x < 0.001 ? 4 : 2)}%`;
  const lines = [];
  lines.push(
    `Machine: ${r.machine.nproc} cores, ${r.machine.cpu}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, Python/samtranslator ${r.machine.pythonAndSamTranslator || "n/a"}`,
    "",
    "Times are medians (min–max) in ms; handler and JSON.stringify interleaved in one process, SAM `transform()` timed inside Python on the macro's output.",
    "",
    "| resources | JSON KB | Api routes | handler ms | JSON.stringify ms | handler / stringify (IQR) | handler µs/KB | SAM ms (runs) | macro share |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const t of r.transform) {
    const s = r.sam.find((x) => x.resources === t.resources);
    const samCell = !s ? "—" : s.ok ? `${ms(s.samMs)} (${s.samMs.n})` : `error: ${s.error.slice(0, 60)}`;
    lines.push(
      `| ${t.resources} | ${kb(t.bytes)} | ${t.routes} | ${ms(t.handlerMs)} | ${ms(t.stringifyMs)} | ${t.ratio.median.toFixed(3)} (${t.ratio.p25.toFixed(3)}–${t.ratio.p75.toFixed(3)}) | ${t.handlerUsPerKb.toFixed(2)} | ${samCell} | ${s?.ok ? pct(s.macroShare) : "—"} |`,
    );
  }
  const g = r.growth;
  lines.push(
    "",
    `Growth (slope of log time over log size; 1 = linear): handler ${g.handlerSlope.toFixed(2)}, JSON.stringify ${g.stringifySlope.toFixed(2)}, SAM ${g.samSlope === null ? "n/a" : g.samSlope.toFixed(2)}`,
    "",
    "| cold start | median ms | min–max ms |",
    "|---|---:|---:|",
    `| \`node -e ""\` | ${fmt(r.coldStart.bareMs.median)} | ${fmt(r.coldStart.bareMs.min)}–${fmt(r.coldStart.bareMs.max)} |`,
    `| \`node -e "require('./dist/handler.js')"\` | ${fmt(r.coldStart.loadedMs.median)} | ${fmt(r.coldStart.loadedMs.min)}–${fmt(r.coldStart.loadedMs.max)} |`,
    "",
    `Loaded / bare: ratio of medians ${r.coldStart.ratio.toFixed(3)}; median of per-pair ratios ${r.coldStart.pairedRatio.median.toFixed(3)} (IQR ${r.coldStart.pairedRatio.p25.toFixed(3)}–${r.coldStart.pairedRatio.p75.toFixed(3)}), ${r.coldStart.bareMs.n} pairs.`,
    "",
    `First call in a fresh process (Node.js ${r.firstCall.node}, ${r.firstCall.handlerMs.n} processes per variant, ${kb(largest.bytes)} KB template): handler ${ms(r.firstCall.handlerMs)}, JSON.stringify ${ms(r.firstCall.stringifyMs)}; ratio of medians ${r.firstCall.ratio.toFixed(2)}, median of per-process ratios ${r.firstCall.pairedRatio.median.toFixed(2)} (IQR ${r.firstCall.pairedRatio.p25.toFixed(2)}–${r.firstCall.pairedRatio.p75.toFixed(2)}). Without the warm-up at load (CORS_KEY_PUSHDOWN_WARM_UP=off, alternated with the above): handler ${ms(r.firstCall.withoutWarmUp.handlerMs)}, ratio of medians ${r.firstCall.withoutWarmUp.ratio.toFixed(2)}.`,
    "",
    `| a new container, ${kb(largest.bytes)} KB template | load (require) ms | first call ms | load + first call ms |`,
    "|---|---:|---:|---:|",
    `| as shipped (warm-up at load) | ${ms(r.firstCall.loadMs)} | ${ms(r.firstCall.handlerMs)} | ${ms(r.firstCall.loadAndCallMs)} |`,
    `| CORS_KEY_PUSHDOWN_WARM_UP=off | ${ms(r.firstCall.withoutWarmUp.loadMs)} | ${ms(r.firstCall.withoutWarmUp.handlerMs)} | ${ms(r.firstCall.withoutWarmUp.loadAndCallMs)} |`,
    "",
    `Bundle: dist/handler.js is ${r.bundleBytes} bytes.`,
    "",
    `| memory, ${kb(largest.bytes)} KB template (median of ${r.memory.heapBytes.parse.n} fresh processes) | parse only | parse + invocation | ratio |`,
    "|---|---:|---:|---:|",
    `| heap allocated, no GC during the work (upper bound on peak) | ${mb(r.memory.heapBytes.parse.median)} | ${mb(r.memory.heapBytes.invoke.median)} | ${r.memory.ratioUpper.toFixed(2)}× |`,
    `| data allocated, no GC during the work (all but compiled code) | ${mb(r.memory.dataBytes.parse.median)} | ${mb(r.memory.dataBytes.invoke.median)} | ${r.memory.ratioData.toFixed(2)}× |`,
    `| machine code compiled during the work (once per process) | ${mb(r.memory.codeBytes.parse.median)} | ${mb(r.memory.codeBytes.invoke.median)} | — |`,
    `| heap retained after full GC (lower bound on peak) | ${mb(r.memory.retainedBytes.parse.median)} | ${mb(r.memory.retainedBytes.invoke.median)} | ${r.memory.ratioLower.toFixed(2)}× |`,
    `| maxRSS growth (OS view; includes touched young-generation pages) | ${mb(r.memory.maxRssBytes.parse.median)} | ${mb(r.memory.maxRssBytes.invoke.median)} | ${(r.memory.maxRssBytes.invoke.median / r.memory.maxRssBytes.parse.median).toFixed(2)}× |`,
    `| a container's first invocation: heap allocated (JIT code and data included, once per process) | ${mb(r.memory.heapBytes.firstParse.median)} | ${mb(r.memory.heapBytes.firstInvoke.median)} | ${r.memory.ratioFirstInvoke.toFixed(2)}× |`,
    `| a container's first invocation: data allocated (all but compiled code) | ${mb(r.memory.dataBytes.firstParse.median)} | ${mb(r.memory.dataBytes.firstInvoke.median)} | ${r.memory.ratioFirstInvokeData.toFixed(2)}× |`,
    "",
  );
  if (r.memory.gcInside > 0)
    lines.push(
      `Note: ${r.memory.gcInside} GC(s) ran inside a measured window; the upper bound is then too low.`,
      "",
    );
  const big = r.transform[r.transform.length - 1];
  const bigSam = r.sam.find((x) => x.resources === big.resources);
  lines.push(
    "| goal | target | measured | met |",
    "|---|---:|---:|:---:|",
    goalRow(
      `handler / JSON.stringify at ${kb(big.bytes)} KB`,
      `≤ ${GOALS.transformRatio}×`,
      big.ratio.median,
      GOALS.transformRatio,
      (x) => `${x.toFixed(3)}×`,
    ),
    goalRow(
      "first call in a fresh process, handler / JSON.stringify",
      `≤ ${GOALS.firstCallRatio}×`,
      r.firstCall.ratio,
      GOALS.firstCallRatio,
      (x) => `${x.toFixed(2)}×`,
    ),
    goalRow(
      "growth of handler time with template size (log-log slope)",
      `≤ ${GOALS.growthSlope}`,
      r.growth.handlerSlope,
      GOALS.growthSlope,
      (x) => x.toFixed(2),
    ),
    bigSam?.ok
      ? goalRow(
          `macro share of the whole transform at ${kb(big.bytes)} KB`,
          "< 1%",
          bigSam.macroShare,
          GOALS.samShare,
          pct,
        )
      : "| macro share of the whole transform | < 1% | not measured | — |",
    goalRow(
      "cold start, loaded / bare (medians)",
      `≤ ${GOALS.coldStartRatio}×`,
      r.coldStart.ratio,
      GOALS.coldStartRatio,
      (x) => `${x.toFixed(3)}×`,
    ),
    goalRow(
      "memory, invocation / parse (data allocated, no GC; steady state)",
      `≤ ${GOALS.memoryRatio}×`,
      r.memory.ratioData,
      GOALS.memoryRatio,
      (x) => `${x.toFixed(2)}×`,
    ),
    goalRow(
      "peak memory, invocation / parse (upper bound, compiled code included)",
      `≤ ${GOALS.memoryRatio}×`,
      r.memory.ratioUpper,
      GOALS.memoryRatio,
      (x) => `${x.toFixed(2)}×`,
    ),
    goalRow(
      "peak memory, invocation / parse (lower bound)",
      `≤ ${GOALS.memoryRatio}×`,
      r.memory.ratioLower,
      GOALS.memoryRatio,
      (x) => `${x.toFixed(2)}×`,
    ),
    goalRow(
      "memory, a container's first invocation / parse (data allocated, JIT data included)",
      `≤ ${GOALS.memoryRatio}×`,
      r.memory.ratioFirstInvokeData,
      GOALS.memoryRatio,
      (x) => `${x.toFixed(2)}×`,
    ),
    "",
  );
  return `${lines.join("\n")}\n`;
}

function goalRow(name, target, value, limit, show) {
  return `| ${name} | ${target} | ${show(value)} | ${value <= limit ? "yes" : `no (${(value / limit).toFixed(1)}× the target)`} |`;
}

function fmt(x) {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

function mb(bytes) {
  return `${(bytes / 2 ** 20).toFixed(2)} MB`;
}
