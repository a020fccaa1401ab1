// Builds dist/: the Lambda bundle (dist/handler.js), the CLI (dist/cli.js) and the self-contained
// macro template (dist/macro.template.json, whose inline code is dist/handler.js byte for byte).
import { chmodSync } from "node:fs";
import { build } from "esbuild";

/** @type {import("esbuild").BuildOptions} */
const common = {
  bundle: true,
  minify: true,
  platform: "node",
  format: "cjs",
  legalComments: "none",
};

// The Lambda runtime (nodejs24.x, as template.yaml says). The tests also load this bundle on the Node.js they
// run on (20 and later), which holds as long as the source uses no syntax newer than Node 20's.
await build({
  ...common,
  target: "node24",
  entryPoints: ["src/macro/handler.ts"],
  outfile: "dist/handler.js",
});
// The CLI runs wherever the package is installed: package.json's engines (Node 20 and later).
await build({
  ...common,
  target: "node20",
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli.js",
  banner: { js: "#!/usr/bin/env node" },
});
// Runnable straight from a checkout (npm sets this bit itself only when it installs the package).
chmodSync("dist/cli.js", 0o755);
const { writeMacroTemplate } = await import("./macro-template.mjs");
await writeMacroTemplate();
