// Bundles scripts/example.ts on the fly (esbuild is already a dev dependency) and runs it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const out = join(mkdtempSync(join(tmpdir(), "ckp-example-")), "example.cjs");
await build({
  entryPoints: ["scripts/example.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  outfile: out,
  logLevel: "error",
});
await import(pathToFileURL(out).href);
