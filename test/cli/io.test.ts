import * as fs from "node:fs";
import { chmodSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeUtf8, firstInvalidByte, type WriteFs, writeFileAtomic } from "../../src/cli/io";
import { fixtureFile, KEYED_API } from "./fixtures";
import { run, tempDir } from "./helpers";

describe("decodeUtf8", () => {
  it("keeps a byte order mark, so the output can keep it too", () => {
    expect(decodeUtf8(Buffer.from("\uFEFFa: 1\n"))).toBe("\uFEFFa: 1\n");
  });

  it.each([
    ["Latin-1 é", Buffer.from("a: caf\xe9\n", "latin1"), 6, 1],
    ["a lone continuation byte", Buffer.from([0x61, 0x0a, 0x80]), 2, 2],
    ["an overlong slash", Buffer.from([0xc0, 0xaf]), 0, 1],
    ["a UTF-16 surrogate", Buffer.from([0x0a, 0x0a, 0xed, 0xa0, 0x80]), 2, 3],
    ["a code point above U+10FFFF", Buffer.from([0xf4, 0x90, 0x80, 0x80]), 0, 1],
    ["a cut sequence at the end", Buffer.from([0x61, 0xe2, 0x82]), 1, 1],
  ])("refuses %s, naming the first bad byte and its line", (_name, bytes, offset, line) => {
    // Act
    const decode = () => decodeUtf8(bytes);

    // Assert
    expect(firstInvalidByte(bytes)).toBe(offset);
    expect(decode).toThrow(expect.objectContaining({ line, exitCode: 2 }));
  });

  it("finds nothing wrong in valid UTF-8 of every length", () => {
    // Arrange
    const bytes = Buffer.from("a é € 😀 \u{10FFFF}", "utf8");

    // Act
    const offset = firstInvalidByte(bytes);

    // Assert
    expect(offset).toBe(bytes.length);
  });
});

/** The node file system, with a write that fails after `limit` bytes (a full disk, a killed process). */
function failingAfter(limit: number): WriteFs {
  let written = 0;
  return {
    ...fs,
    writeSync: (fd, data, offset, length) => {
      const room = Math.min(length, limit - written);
      if (room <= 0) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      written += fs.writeSync(fd, data, offset, room);
      return room;
    },
  };
}

describe("writeFileAtomic", () => {
  it("leaves the target as it was, and no temporary file, when the write fails half way", () => {
    // Arrange
    const dir = tempDir();
    const target = join(dir, "template.yaml");
    writeFileSync(target, "original\n");

    // Act
    const write = () =>
      writeFileAtomic(target, Buffer.from("new content that does not fit\n"), failingAfter(5));

    // Assert
    expect(write).toThrow(/ENOSPC/);
    expect(readFileSync(target, "utf8")).toBe("original\n");
    expect(readdirSync(dir)).toEqual(["template.yaml"]);
  });

  it("keeps the file's mode", () => {
    // Arrange
    const target = join(tempDir(), "template.yaml");
    writeFileSync(target, "old\n");
    chmodSync(target, 0o640);

    // Act
    writeFileAtomic(target, Buffer.from("new\n"));

    // Assert
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readFileSync(target, "utf8")).toBe("new\n");
  });

  it("writes through a symbolic link instead of replacing the link", () => {
    // Arrange
    const dir = tempDir();
    const real = join(dir, "real.yaml");
    const link = join(dir, "link.yaml");
    writeFileSync(real, "old\n");
    symlinkSync(real, link);

    // Act
    writeFileAtomic(link, Buffer.from("new\n"));

    // Assert
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toBe("new\n");
  });
});

describe("-o", () => {
  it("means standard output when it is -", async () => {
    // Arrange
    const file = fixtureFile(KEYED_API, "keyed.yaml");

    // Act
    const toDash = await run([file, "-o", "-"]);
    const plain = await run([file]);

    // Assert
    expect(toDash.code).toBe(0);
    expect(toDash.stdout).toBe(plain.stdout);
    expect(toDash.stdout).toContain("ApiKeyRequired: false");
  });

  it("does not rewrite a template that has nothing to change", async () => {
    // Arrange
    const file = fixtureFile("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n", "plain.yaml");
    const before = statSync(file);

    // Act
    const result = await run([file, "-o", file]);

    // Assert
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(statSync(file).ino).toBe(before.ino);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
  });

  it("rewrites in place by replacing the file in one step, its mode kept", async () => {
    // Arrange
    const file = fixtureFile(KEYED_API, "keyed.yaml");
    chmodSync(file, 0o600);

    // Act
    const result = await run([file, "-o", file]);

    // Assert
    expect(result.code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("ApiKeyRequired: false");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("exits 2 with one line when the output cannot be written", async () => {
    // Arrange
    const file = fixtureFile(KEYED_API, "keyed.yaml");
    const out = join(tempDir(), "no such folder", "out.yaml");

    // Act
    const result = await run([file, "-o", out]);

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${out}: no such file (nothing was written)\n`);
  });
});
