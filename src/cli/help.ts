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
its routes, so CORS preflights stop getting 403. Templates are read as the SAM CLI reads them (YAML 1.1,
or JSON). YAML stays YAML (comments, tags and layout kept), JSON stays JSON (untouched bytes kept); a
template with nothing to change comes back byte for byte. CorsKeyPushdown is taken out of Transform, so
the output goes straight to sam build.

${h("Options")}
  -o, --output FILE     write the template to FILE (- for standard output, the default); FILE is
                        replaced in one step, keeping its mode
      --check           change nothing; list findings as file:line:col: level: message [rule]
      --format FORMAT   with --check: text (default), json or sarif (SARIF 2.1.0, for code scanning)
      --report          summarise on standard error what the rewrite does
      --macro-name NAME the transform name to take out of Transform (default CorsKeyPushdown)
  -h, --help            show this help
  -V, --version         show the version

${h("Exit codes")}
  0  done; with --check: no finding is an error
  1  --check only: an error finding (CORS preflights require the API key or a default authorizer,
     and nothing in Transform fixes it at deploy)
  2  the command could not run: bad usage, an unreadable file, not UTF-8, not YAML or JSON, not a
     template, a template SAM would reject, or a rewrite that cannot be written exactly
`;
}
