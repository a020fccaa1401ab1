// Builds dist/: the Lambda bundle (dist/handler.js), the CLI (dist/cli.js) and the self-contained
// macro template (dist/macro.template.json, whose inline code is dist/handler.js byte for byte).
import { chmodSync } from "node:fs";
import { build } from "esbuild";

const common = {
  bundle: true,
  minify: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  legalComments: "none",
};

await build({ ...common, entryPoints: ["src/macro/handler.ts"], outfile: "dist/handler.js" });
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
