import { version } from "../../package.json";
import { errorMessage } from "../pushdown";
import { parseArgs } from "./args";
import { checkCommand } from "./commands/check";
import { rewriteCommand } from "./commands/rewrite";
import { EXIT, errorLine } from "./errors";
import { helpText } from "./help";
import type { CliIo, StdinReader } from "./io";
import { styleFor } from "./style";

/**
 * The `cors-key-pushdown` command: rewrite or check a SAM template, or run the `audit` and `deploy`
 * subcommands. Never throws and never exits the process; the result is the exit code.
 *
 * @param argv - the arguments after the program name
 * @param io - where output goes and what the environment says
 * @param stdin - reads standard input (bytes), for a template given as `-`
 * @returns 0 when done (or nothing to fix), 1 when `--check` found errors, 2 for bad input or usage
 */
export async function main(argv: string[], io: CliIo, stdin: StdinReader = readStdin): Promise<number> {
  const [command, ...rest] = argv;
  // Loaded on demand: the AWS SDK would slow down every plain rewrite (pre-commit runs it often).
  if (command === "audit") return (await import("./commands/audit.js")).auditCommand(rest, io);
  if (command === "deploy") return (await import("./commands/deploy.js")).deployCommand(rest, io);
  const style = styleFor(io);
  try {
    const options = parseArgs(argv);
    if (options.help) io.stdout(helpText(style));
    else if (options.version) io.stdout(`${version}\n`);
    else if (options.check) return await checkCommand(options, { io, style, stdin });
    else return await rewriteCommand(options, { io, style, stdin });
    return 0;
  } catch (error) {
    io.stderr(`${errorLine(error, "cors-key-pushdown")}\n`);
    return EXIT.unusable;
  }
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// Runs only as the process entry (dist/cli.js), not when tests import main().
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
  main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    isTty: process.stdout.isTTY === true,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`cors-key-pushdown: ${errorMessage(error)}\n`);
      process.exitCode = EXIT.unusable;
    },
  );
}
