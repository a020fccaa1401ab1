import type { Style } from "./style";

/** The `--help` text. */
export function helpText(style: Style): string {
  const h = style.bold;
  return `${h("Usage")}
  cors-key-pushdown [options] TEMPLATE        rewrite TEMPLATE (a file, or - for stdin)
  cors-key-pushdown --check TEMPLATE...       report APIs whose CORS preflights require the API key
  cors-key-pushdown audit [options]           check deployed APIs (see: audit --help)
  cors-key-pushdown deploy [options]          deploy the macro (see: deploy --help)

Rewrites an AWS SAM template the way the CorsKeyPushdown macro does: the API key moves from the API to
its routes, so CORS preflights stop getting 403. YAML stays YAML (comments, tags and layout kept), JSON
stays JSON. CorsKeyPushdown is taken out of Transform, so the output goes straight to sam build.

${h("Options")}
  -o, --output FILE     write the template to FILE instead of standard output
      --check           change nothing; exit 1 and list the problems if the template needs the rewrite
      --report          summarise on standard error what was changed
      --macro-name NAME the transform name to take out of Transform (default CorsKeyPushdown)
  -h, --help            show this help
  -V, --version         show the version

${h("Exit codes")}
  0  done, or (--check) nothing to fix
  1  (--check) some API's CORS preflights require the API key
  2  bad input or usage: the message names the file and line
`;
}
