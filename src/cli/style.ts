import type { CliIo } from "./io";

/** Text styles: ANSI colours on a terminal, plain text otherwise. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
  readonly dim: (text: string) => string;
}

/** Colour only for a terminal, and never when `NO_COLOR` is set (https://no-color.org). */
export function styleFor(io: CliIo): Style {
  const noColor = io.env.NO_COLOR;
  const on = io.isTty && (noColor === undefined || noColor === "");
  const code = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: code(1, 22),
    red: code(31, 39),
    yellow: code(33, 39),
    green: code(32, 39),
    dim: code(2, 22),
  };
}
