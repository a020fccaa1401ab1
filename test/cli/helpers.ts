import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main";

/** What one in-process run of the CLI printed and returned. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `main()` with a fake terminal-less io; `stdin` is what `-` reads (text is read as UTF-8). */
export async function run(
  argv: string[],
  options: { stdin?: string | Uint8Array; env?: Record<string, string>; isTty?: boolean } = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
    env: options.env ?? {},
    isTty: options.isTty ?? false,
  };
  const input = options.stdin ?? "";
  const code = await main(argv, io, async () => (typeof input === "string" ? Buffer.from(input) : input));
  return { code, stdout, stderr };
}

/** A fresh temporary directory for one test's files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "ckp-cli-"));
}

/** Lines only in `before` (removed) and only in `after` (added), by a longest-common-subsequence diff. */
export function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const { removed, added } = lineDiffIndexes(before, after);
  const a = before.split("\n");
  const b = after.split("\n");
  return { removed: removed.map((i) => a[i] as string), added: added.map((j) => b[j] as string) };
}

/** The indexes of the lines only in `before` and of those only in `after`. */
export function lineDiffIndexes(before: string, after: string): { removed: number[]; added: number[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  const common: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i -= 1)
    for (let j = b.length - 1; j >= 0; j -= 1) {
      const row = common[i] as number[];
      row[j] =
        a[i] === b[j]
          ? ((common[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((common[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i += 1;
      j += 1;
    } else if (
      j < b.length &&
      (i >= a.length ||
        ((common[i] as number[])[j + 1] as number) >= ((common[i + 1] as number[])[j] as number))
    ) {
      added.push(j);
      j += 1;
    } else {
      removed.push(i);
      i += 1;
    }
  }
  return { removed, added };
}
