import * as fs from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { CliError } from "./errors";

/** What a command needs from the outside world, so commands can be tested without a process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether standard output is a terminal (colour only then). */
  readonly isTty: boolean;
}

/** Reads all of standard input as bytes; only called when a template is given as `-`. */
export type StdinReader = () => Promise<Uint8Array>;

/** The file system calls a write makes, replaceable in tests that make a write fail half way. */
export interface WriteFs {
  readonly openSync: typeof fs.openSync;
  readonly writeSync: (fd: number, data: Uint8Array, offset: number, length: number) => number;
  readonly fsyncSync: typeof fs.fsyncSync;
  readonly closeSync: typeof fs.closeSync;
  readonly renameSync: typeof fs.renameSync;
  readonly unlinkSync: typeof fs.unlinkSync;
}

const NODE_FS: WriteFs = fs;

/**
 * Decodes UTF-8 text, refusing bytes that are not UTF-8 instead of replacing them: a template saved
 * as Latin-1 would otherwise be rewritten with its accents lost.
 *
 * @throws CliError naming the line and the first byte that is not UTF-8
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    // ignoreBOM keeps a byte order mark in the text, so the output can keep it too.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const line = bytes.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    throw new CliError(`byte 0x${byte} is not UTF-8; save the file as UTF-8 (it was left as it is)`, {
      line,
    });
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const [length, low, high] = sequenceOf(bytes[i] as number);
    if (length === 0) return i;
    for (let k = 1; k < length; k += 1) {
      const next = bytes[i + k];
      // The second byte has the narrower range that rules out overlong forms and surrogates.
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return bytes.length;
}

/**
 * The length of the sequence a lead byte starts, and the range of its second byte (RFC 3629, table
 * of well-formed sequences); length 0 for a byte that cannot start one.
 */
function sequenceOf(lead: number): [number, number, number] {
  if (lead < 0x80) return [1, 0, 0];
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}

/**
 * Writes a file so that it is either the old file or the new one, never a mix: the bytes go to a
 * temporary file in the same folder, which then replaces the target by a rename. The target's mode is
 * kept, and a symbolic link is written through, not replaced.
 *
 * @throws the file system's error; the target is then untouched and the temporary file removed
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, writeFs: WriteFs = NODE_FS): void {
  const target = resolveLink(path);
  const mode = existingMode(target);
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  const fd = writeFs.openSync(temporary, "wx", mode ?? 0o666);
  let renamed = false;
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeFs.writeSync(fd, bytes, offset, bytes.length - offset);
      writeFs.fsyncSync(fd);
    } finally {
      writeFs.closeSync(fd);
    }
    // openSync applies the umask; the file's own mode is what the user had.
    if (mode !== undefined) fs.chmodSync(temporary, mode);
    writeFs.renameSync(temporary, target);
    renamed = true;
  } finally {
    if (!renamed) removeQuietly(temporary, writeFs);
  }
}

/** Where writing `path` lands: through symbolic links, even one whose target does not exist yet. */
function resolveLink(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    // A dangling link: follow it by hand (a few hops at most), so the link itself stays a link.
    let current = path;
    for (let hop = 0; hop < 40; hop += 1) {
      let link: string;
      try {
        if (!fs.lstatSync(current).isSymbolicLink()) return current;
        link = fs.readlinkSync(current);
      } catch {
        return current;
      }
      current = isAbsolute(link) ? link : join(dirname(current), link);
    }
    return current;
  }
}

function existingMode(path: string): number | undefined {
  try {
    return fs.statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function removeQuietly(path: string, writeFs: WriteFs): void {
  try {
    writeFs.unlinkSync(path);
  } catch {
    // Already gone, or never made: nothing to clean.
  }
}

/** True when both names lead to the same existing file. */
export function sameFile(a: string, b: string): boolean {
  try {
    const first = fs.statSync(a);
    const second = fs.statSync(b);
    return first.dev === second.dev && first.ino === second.ino;
  } catch {
    return false;
  }
}
