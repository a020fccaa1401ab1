// Shared by the AWS tests: finding the Python tools, running moto's server, a local server that answers
// badly on purpose, and a CliIo that records output.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer as createHttpServer, type ServerResponse } from "node:http";
import { createServer, type Socket } from "node:net";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { RequestLimits } from "../../src/aws/client";
import type { CliIo } from "../../src/cli/io";

/** Whether `command` runs (pyenv shims exist even when the tool is not installed, so `-h` is run, not looked up). */
export function toolAvailable(command: string, probe: string[] = ["-h"]): boolean {
  const result = spawnSync(command, probe, { stdio: "ignore", timeout: 60_000 });
  return result.error === undefined && result.status === 0;
}

/**
 * The title suffix of a suite that needs `command`: empty when present, a skip notice with the install
 * command otherwise. Under CI=true a missing tool is a failure, not a skip, so CI cannot go green untested.
 */
export function requireTool(command: string, install: string): { available: boolean; note: string } {
  const available = toolAvailable(command);
  if (!available && process.env.CI === "true")
    throw new Error(`${command} is required when CI=true and was not found; install it with: ${install}`);
  const note = available ? "" : ` (skipped: ${command} not found; ${install})`;
  if (!available) console.warn(`Skipping the tests that need ${command}: it was not found; ${install}`);
  return { available, note };
}

export const MOTO_INSTALL = "pip install 'moto[server]'";

/** A moto server on a free 127.0.0.1 port, for one test file. */
export interface Moto {
  readonly endpoint: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `moto_server` and resolves once it answers HTTP; rejects with its output if it does not within 60 s. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(`${endpoint}/moto-api/`);
      return { endpoint, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await stop();
  throw new Error(`moto_server did not answer on ${endpoint} within 60 s:\n${output}`);
}

/** What the hostile server answers to every request. */
export type HostileAnswer =
  | "garbage-xml"
  | "html-500"
  | "internal-failure"
  | "empty-200"
  | "silent"
  | "stalled-body"
  | { readonly templateBody: string };

/** A local CloudFormation impostor, for the answers no real endpoint (nor moto) gives on demand. */
export interface Hostile {
  readonly endpoint: string;
  /** How many requests reached it. */
  readonly requests: () => number;
  stop(): Promise<void>;
}

const CFN_XMLNS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function answer(response: ServerResponse, how: HostileAnswer): void {
  if (how === "silent") return; // accepted, read, and never answered
  if (how === "stalled-body") {
    // Headers and the start of a body, then nothing: the request timeout no longer runs once headers came.
    response.writeHead(200, { "content-type": "text/xml" });
    response.write(`<GetTemplateResponse xmlns="${CFN_XMLNS}"><GetTemplateResult>`);
    return;
  }
  if (how === "garbage-xml") {
    response.writeHead(200, { "content-type": "text/xml" });
    response.end("<GetTemplateResponse><GetTemplateResult><TemplateBody>never closed");
  } else if (how === "html-500") {
    response.writeHead(500, { "content-type": "text/html" });
    response.end("<html><body><h1>500 Internal Server Error</h1><p>upstream gone</p></body></html>");
  } else if (how === "internal-failure") {
    response.writeHead(500, { "content-type": "text/xml" });
    response.end(
      `<ErrorResponse xmlns="${CFN_XMLNS}"><Error><Type>Receiver</Type><Code>InternalFailure</Code>` +
        "<Message>The request processing has failed because of an unknown error.</Message></Error>" +
        "<RequestId>hostile-1</RequestId></ErrorResponse>",
    );
  } else if (how === "empty-200") {
    response.writeHead(200, { "content-type": "text/xml" });
    response.end("");
  } else {
    response.writeHead(200, { "content-type": "text/xml" });
    response.end(
      `<GetTemplateResponse xmlns="${CFN_XMLNS}"><GetTemplateResult><TemplateBody>${escapeXml(how.templateBody)}` +
        "</TemplateBody></GetTemplateResult><ResponseMetadata><RequestId>hostile-2</RequestId></ResponseMetadata>" +
        "</GetTemplateResponse>",
    );
  }
}

/** Starts a server on a free 127.0.0.1 port that gives `how` as the answer to every request. */
export async function startHostile(how: HostileAnswer): Promise<Hostile> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createHttpServer((request, response) => {
    requests += 1;
    request.resume();
    request.on("end", () => answer(response, how));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Limits short enough for a test against a server that never answers to finish in about a second. */
export const SHORT_LIMITS: RequestLimits = {
  connectionTimeoutMs: 200,
  requestTimeoutMs: 400,
  maxAttempts: 2,
};

/** A CliIo whose output is kept for assertions. */
export interface RecordingIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

/** A recording CliIo with `env` as its environment. */
export function recordingIo(env: Record<string, string | undefined>): RecordingIo {
  let out = "";
  let err = "";
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    env,
    isTty: false,
    out: () => out,
    err: () => err,
  };
}

/** The environment the commands see in tests: dummy keys, us-east-1, CloudFormation at `endpoint`. */
export function testEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint,
  };
}

/** A real client (so SDK paginators accept it) whose calls all go to `send` instead of AWS. */
export function clientWithSend(send: (command: unknown) => Promise<unknown>): CloudFormationClient {
  const client = new CloudFormationClient({
    region: "us-east-1",
    credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
  });
  return Object.assign(client, { send }) as unknown as CloudFormationClient;
}
