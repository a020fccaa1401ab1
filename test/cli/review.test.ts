/*
 * Adversarial review of the command line (issue "The CLI reads templates as SAM reads them, never loses
 * a byte, and its check is right on real templates"). Every test here failed when it was written: each
 * shows an input on which the CLI breaks one of the README's promises. The comment above each test says
 * what is wrong and why it matters.
 *
 * "PyYAML" below is cfn-lint's loader (test/support/pyyaml_read.py), the reader the SAM CLI shares; every
 * case was also checked against plain `yaml.safe_load` with a `!` multi-constructor, as the SAM CLI
 * loads templates, and both agree on it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCfnYaml } from "../../src/cfn-yaml";
import type { Json, JsonMap } from "../../src/pushdown";
import { runBuiltHandler } from "../support/built-handler";
import { fixtureFile } from "./fixtures";
import { run, tempDir } from "./helpers";

const hasPyYaml = spawnSync("python3", ["-c", "import cfnlint.decode"]).status === 0;
if (!hasPyYaml && process.env.CI === "true") throw new Error("CI=true: cfn-lint is not installed");

/** What PyYAML (as the SAM CLI) reads from `text`: the value, or its error. */
function pyYaml(text: string): { ok: true; value: Json } | { ok: false; error: string } {
  const file = join(tempDir(), "read.yaml");
  writeFileSync(file, text);
  const read = spawnSync("python3", [join(__dirname, "..", "support", "pyyaml_read.py"), file], {
    encoding: "utf8",
  });
  return JSON.parse(read.stdout) as { ok: true; value: Json } | { ok: false; error: string };
}

/** Non-finite numbers named as pyyaml_read.py names them (JSON has none). */
function portable(value: Json): Json {
  if (typeof value === "number" && !Number.isFinite(value))
    return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  if (Array.isArray(value)) return value.map(portable);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, portable(inner)]));
  return value;
}

function readWithPyYaml(text: string): Json {
  const read = pyYaml(text);
  if (!read.ok) throw new Error(read.error);
  return read.value;
}

/** The deployed macro's answer on what PyYAML reads, with the macro taken out of Transform as the CLI does. */
async function macroRewrite(text: string): Promise<Json> {
  const response = await runBuiltHandler(structuredClone(readWithPyYaml(text)));
  expect(response.status).toBe("success");
  const template = response.fragment as JsonMap;
  const transform = template.Transform;
  if (Array.isArray(transform)) {
    const kept = transform.filter((name) => name !== "CorsKeyPushdown");
    if (kept.length === 1) template.Transform = kept[0] as Json;
    else if (kept.length === 0) delete template.Transform;
    else template.Transform = kept;
  } else if (transform === "CorsKeyPushdown") delete template.Transform;
  return template;
}

/** A keyed REST API with CORS; `auth` is the API's Auth block (6 spaces in), `transform` the Transform line. */
function keyedTemplate(auth: string, transform = "Transform: AWS::Serverless-2016-10-31"): string {
  return `${transform}
Defaults:
  keyed: &keyed {ApiKeyRequired: true}
  open: &open {ApiKeyRequired: false}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
${auth}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      InlineCode: x
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: get
`;
}

describe("merge keys read as PyYAML merges them", () => {
  // A map with two `<<` keys: PyYAML's flatten_mapping concatenates the merged pairs in order, so the
  // later `<<` wins (`<<: *open` then `<<: *keyed` gives ApiKeyRequired: true), while the yaml library
  // keeps the first one. Read the library's way, SAM would put the key on the preflights while `--check`
  // passed the template and the rewrite changed nothing, so the CLI must read as PyYAML or refuse.
  it.skipIf(!hasPyYaml)("takes the later of two << keys, as PyYAML does", async () => {
    // Arrange
    const samOnly = keyedTemplate("      Auth:\n        <<: *open\n        <<: *keyed");
    const withMacro = keyedTemplate(
      "      Auth:\n        <<: *open\n        <<: *keyed",
      "Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]",
    );
    const file = fixtureFile(samOnly);

    // Act
    const check = await run(["--check", file]);
    const rewrite = await run(["-"], { stdin: withMacro });

    // Assert
    expect(readWithPyYaml(samOnly)).toMatchObject({
      Resources: { Api: { Properties: { Auth: { ApiKeyRequired: true } } } },
    });
    // Either reading as PyYAML does or refusing (exit 2) would keep the promise.
    expect([1, 2]).toContain(check.code);
    expect([0, 2]).toContain(rewrite.code);
    if (rewrite.code === 0) expect(readWithPyYaml(rewrite.stdout)).toEqual(await macroRewrite(withMacro));
  });

  // PyYAML decides what merges by the key's tag, not its text: `!!merge defaults: *keyed` merges, and
  // `!!str <<: *keyed` is a plain key named "<<". Merging by the text reads the opposite in each case: no
  // key where SAM has one (check passes a trapped API), a key where SAM has none (the rewrite pushes a
  // key SAM never required onto the routes), so the CLI must read as PyYAML or refuse.
  it.skipIf(!hasPyYaml).each([
    ["!!merge defaults: *keyed", 1],
    ["!!str <<: *keyed", 0],
  ])("reads the tagged key %s as PyYAML does (--check exits %i)", async (line, expected) => {
    // Arrange
    const file = fixtureFile(keyedTemplate(`      Auth:\n        ${line}`));

    // Act
    const result = await run(["--check", file]);

    // Assert: reading as PyYAML does, or refusing with exit 2
    expect([expected, 2]).toContain(result.code);
  });

  // `<<:` with no value, or with a scalar, is refused by PyYAML ("expected a mapping or list of mappings
  // for merging"). The CLI refuses too, with that reason and the merge key's line: the yaml library's
  // merge error mentions aliases, and reworded as an alias bomb it would send the user hunting for
  // aliases that are not there.
  it.each([
    ["null", "        <<:\n        ApiKeyRequired: true"],
    ["a scalar", "        <<: *name\n        ApiKeyRequired: true"],
  ])("says what is wrong with a merge of %s, with its line", async (_what, body) => {
    // Arrange
    const text = `Name: &name hello\n${keyedTemplate(`      Auth:\n${body}`)}`;

    // Act
    const result = await run(["-"], { stdin: text });

    // Assert
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/too many aliases/);
    expect(result.stderr).toMatch(/^<stdin>:1[0-9]: .*merge/);
  });
});

describe("explicit core tags read as PyYAML constructs them", () => {
  // `ApiKeyRequired: !!null true` is null to PyYAML (construct_yaml_null ignores the text), so SAM
  // requires no key anywhere. Resolving an explicit tag only on text matching its implicit pattern would
  // read the string "true": `--check` would report a trapped preflight SAM does not generate, and the
  // rewrite would write `ApiKeyRequired: "true"` onto the route, making API Gateway demand a key the
  // template never asked for. Same root for `!!int "0o17"` (15 to PyYAML), `!!float 1e400`, `!!int " 12"`.
  it.skipIf(!hasPyYaml)("reads ApiKeyRequired: !!null true as null: no key, nothing to push", async () => {
    // Arrange
    const samOnly = keyedTemplate("      Auth:\n        ApiKeyRequired: !!null true");
    const withMacro = keyedTemplate(
      "      Auth:\n        ApiKeyRequired: !!null true",
      "Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]",
    );

    // Act
    const check = await run(["--check", fixtureFile(samOnly)]);
    const rewrite = await run(["-"], { stdin: withMacro });

    // Assert: reading as PyYAML does, or refusing with exit 2
    expect([0, 2]).toContain(check.code);
    expect([0, 2]).toContain(rewrite.code);
    if (rewrite.code === 0) expect(readWithPyYaml(rewrite.stdout)).toEqual(await macroRewrite(withMacro));
  });

  // Values a reader could take differently from PyYAML although PyYAML reads them without complaint:
  // a rewrite that copies such a value (an alias of an edited anchor, CORS headers copied into
  // GatewayResponses) would write that reading, not SAM's. `!Ref [x]` and `!Condition [c]` are the
  // case here: the scalar-only Ref and Condition forms would fall back to an untagged list.
  it.skipIf(!hasPyYaml).each([
    ["!!int 0o17", "a: !!int 0o17\n"],
    ["!!int with spaces", "a: !!int ' 12'\n"],
    ["!!float 1e400", "a: !!float '1e400'\n"],
    ["!!null x", "a: !!null x\n"],
    ["!Ref on a list", "a: !Ref [x]\n"],
    ["!Condition on a list", "a: !Condition [c]\n"],
  ])("reads %s as PyYAML does, or refuses it", (_what, text) => {
    // Arrange
    const expected = readWithPyYaml(text);

    // Act
    let read: Json | Error;
    try {
      read = parseCfnYaml(text).value;
    } catch (error) {
      read = error as Error;
    }

    // Assert
    if (!(read instanceof Error)) expect(portable(read)).toEqual(expected);
  });
});

describe("text PyYAML refuses is refused", () => {
  // The README: "it never acts on a reading SAM does not share". Each of these makes PyYAML (and so
  // `sam build`, `sam validate`, cfn-lint) fail, although the yaml library reads it:
  // - an anchor defined twice (PyYAML: "found duplicate anchor"), which the library resolves to the
  //   later one; templates merged from snippets do this;
  // - explicit tags on text their constructor cannot build (`!!bool maybe` would be the truthy string
  //   "maybe": a key pushed onto routes of a template SAM cannot even read);
  // - a tab after a block sequence's dash;
  // - hexadecimal or binary prefixes without digits (`0x_`).
  it.skipIf(!hasPyYaml).each([
    [
      "a duplicate anchor",
      "      Auth: *auth",
      "Dup:\n  a: &auth {ApiKeyRequired: false}\n  b: &auth {ApiKeyRequired: true}\n",
    ],
    ["!!bool maybe", "      Auth:\n        ApiKeyRequired: !!bool maybe", ""],
    ["!!int 1e3", "      Auth:\n        ApiKeyRequired: true\n      MinimumCompressionSize: !!int 1e3", ""],
    [
      "a tab after a dash",
      "      Auth:\n        ApiKeyRequired: true\n      BinaryMediaTypes:\n      -\timage/png",
      "",
    ],
    ["0x_", "      Auth:\n        ApiKeyRequired: true\n      MinimumCompressionSize: 0x_", ""],
  ])("refuses %s with exit 2 and the line", async (_what, auth, before) => {
    // Arrange
    const text = `${before}${keyedTemplate(auth)}`;
    const sam = pyYaml(text);

    // Act
    const result = await run(["--check", "-"], { stdin: text });

    // Assert
    expect(sam.ok).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^<stdin>:\d+: /);
  });
});

describe("untouched bytes keep their meaning", () => {
  // A literal block scalar that ends the file without a line break: PyYAML reads "Items API" (clip
  // chomping keeps only a line break that is there), the yaml library "Items API\n". GatewayResponses
  // appended after it would give it a line break PyYAML then reads: a value the rewrite never meant to
  // touch would change (a description, or worse an InlineCode or a policy string), and a read-back
  // through the library would not see it. So the CLI reads it as PyYAML does, and its header keeps
  // the value when text follows it.
  it.skipIf(!hasPyYaml)(
    "keeps a block scalar at the end of a file without a final newline as it was",
    async () => {
      // Arrange
      const text = `Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      InlineCode: x
      Events:
        Get:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /items, Method: get}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
      Auth:
        ApiKeyRequired: true
      Description: |
        Items API`;

      // Act
      const result = await run(["-"], { stdin: text });

      // Assert
      expect(result.code).toBe(0);
      expect(readWithPyYaml(result.stdout)).toEqual(await macroRewrite(text));
    },
  );

  // A CORS origin written with an escape for a character PyYAML reads as a line break or refuses raw
  // (NEL \x85, LINE SEPARATOR \u2028, PARAGRAPH SEPARATOR \u2029, DEL \x7f): PyYAML reads the template
  // and the macro copies the value into GatewayResponses. Written raw, the copy would fail the CLI's own
  // read-back with a message naming a line of its output; written as an escape, it reads as the original.
  it.skipIf(!hasPyYaml).each(["\\u2028", "\\N", "\\x7F"])(
    "rewrites a template whose copied CORS origin holds the escape %s",
    async (escaped) => {
      // Arrange
      const text = keyedTemplate(
        "      Auth:\n        ApiKeyRequired: true",
        "Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]",
      ).replace(`Cors: "'*'"`, `Cors:\n        AllowOrigin: "'https://a.example${escaped}'"`);

      // Act
      const result = await run(["-"], { stdin: text });

      // Assert
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(readWithPyYaml(result.stdout)).toEqual(await macroRewrite(text));
    },
  );
});

describe("-o writes through symbolic links", () => {
  // The README: "-o FILE ... (its mode kept, a symbolic link written through)". A link whose target
  // does not exist yet (a template kept elsewhere and linked in, written for the first time) must be
  // written through too: replacing it with a regular file would lose the link and never write the file
  // it names. realpath fails on such a link, so its target comes from readlink.
  it("writes through a link whose target does not exist yet", async () => {
    // Arrange
    const dir = tempDir();
    const source = fixtureFile(
      keyedTemplate(
        "      Auth:\n        ApiKeyRequired: true",
        "Transform: [CorsKeyPushdown, AWS::Serverless-2016-10-31]",
      ),
    );
    const link = join(dir, "out.yaml");
    symlinkSync("target.yaml", link);

    // Act
    const result = await run([source, "-o", link]);

    // Assert
    expect(result.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, "target.yaml"))).toBe(true);
    expect(readFileSync(join(dir, "target.yaml"), "utf8")).toContain("ApiKeyRequired: false");
  });
});

describe("--check on bodies it cannot read", () => {
  // An API whose DefinitionBody is an AWS::Include from S3 (the way AWS documents AWS::Include): at
  // deploy, CloudFormation inlines the body before SAM runs, and SAM then puts the API key on the
  // OPTIONS method of every path (checked with the real translator on the inlined body: OPTIONS /items
  // gets security api_key). The core leaves such an API unchanged (opaque body) with a warning that
  // its preflights still require the key; `--check` must fail it, not pass it with a warning: an error
  // without the macro, and an error too with it where the macro cannot fix it.
  it("fails a keyed API with CORS whose body is included from S3", async () => {
    // Arrange
    const file = fixtureFile(`Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors: "'*'"
      Auth:
        ApiKeyRequired: true
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters:
            Location: s3://my-bucket/openapi.yaml
`);

    // Act
    const result = await run(["--check", file]);

    // Assert
    expect(result.stdout).toMatch(/preflights still require the key/);
    expect(result.code).toBe(1);
  });
});
