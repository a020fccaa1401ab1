// Bundles the Lambda handler and the CLI into dist/ (one minified CommonJS file each).
import { build } from "esbuild";

const common = {
  bundle: true,
  minify: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  legalComments: "none",
};

await build({ ...common, entryPoints: ["src/handler.ts"], outfile: "dist/handler.js" });
