import { errorMessage } from "../pushdown";

/**
 * What kind of failure a call met, which decides what the user can do about it:
 * - `setup`: no region, no or refused credentials; nothing can be called until that is fixed;
 * - `unreachable`: no answer at all (timeouts, refused connections, unknown hosts);
 * - `unreadable`: an answer that is not CloudFormation's (garbage, an HTML page, a body missing what it must hold);
 * - `failed`: CloudFormation answered that it failed (InternalFailure, throttling), even after retries;
 * - `refused`: CloudFormation understood and said no (ValidationError, AccessDenied, ...).
 */
export type AwsFailureKind = "setup" | "unreachable" | "unreadable" | "failed" | "refused";

/** A CloudFormation call that did not give a usable answer; the message names the call, the endpoint and what came back. */
export class AwsCallError extends Error {
  public override readonly name = "AwsCallError";
  public readonly kind: AwsFailureKind;
  /** The call, such as `CloudFormation GetTemplate`. */
  public readonly operation: string;
  public readonly endpoint: string | undefined;
  /** AWS's error code (`ValidationError`, ...), when AWS gave one. */
  public readonly code: string | undefined;
  /** What came back, without the operation and endpoint. */
  public readonly detail: string;

  public constructor(fields: {
    kind: AwsFailureKind;
    operation: string;
    endpoint: string | undefined;
    detail: string;
    code?: string;
  }) {
    super(
      fields.endpoint === undefined
        ? fields.detail
        : `${fields.operation} at ${fields.endpoint}: ${fields.detail}`,
    );
    this.kind = fields.kind;
    this.operation = fields.operation;
    this.endpoint = fields.endpoint;
    this.code = fields.code;
    this.detail = fields.detail;
  }
}

/** Where a call went, for {@link toAwsCallError}. */
export interface CallSite {
  readonly endpoint: string;
  readonly profile: string | undefined;
  /** The per-attempt timeout in force, to say how long was waited. */
  readonly requestTimeoutMs: number;
}

// What the SDK's errors carry besides name and message.
interface SdkFields {
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
  readonly $response?: {
    readonly statusCode?: number;
    readonly headers?: Record<string, string | undefined>;
  };
  readonly $responseBodyText?: unknown;
}

const CREDENTIAL_PROVIDER_ERRORS = new Set(["CredentialsProviderError", "TokenProviderError"]);
// AWS's answers to credentials it will not take: the caller must fix the set-up, not the request.
const REFUSED_CREDENTIALS = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "IncompleteSignature",
  "MissingAuthenticationToken",
]);
const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
]);
const NETWORK: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset before a complete answer",
  EPIPE: "connection closed while sending",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

/** A `setup` error for a missing region or missing credentials, with the usual fixes. */
export function setupError(operation: string, error: unknown, profile: string | undefined): AwsCallError {
  const message = errorMessage(error);
  const name = error instanceof Error ? error.name : "";
  let detail = message;
  if (message === "Region is missing")
    detail = "no AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile";
  else if (CREDENTIAL_PROVIDER_ERRORS.has(name))
    detail = profile
      ? `no usable credentials for profile "${profile}" (${message}); check ~/.aws/config or run aws sso login --profile ${profile}`
      : `no AWS credentials found (${message}); set AWS_PROFILE, pass --profile, or configure credentials`;
  return new AwsCallError({ kind: "setup", operation, endpoint: undefined, detail });
}

/**
 * Turns whatever a CloudFormation call threw into an {@link AwsCallError} that says what came back, in
 * words rather than the SDK's internals (its deserialisation errors point at hidden fields).
 *
 * @param operation the call, such as `CloudFormation GetTemplate`
 */
export function toAwsCallError(error: unknown, operation: string, site: CallSite): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const endpoint = site.endpoint;
  if (!(error instanceof Error))
    return new AwsCallError({ kind: "failed", operation, endpoint, detail: String(error) });
  const fields = error as Error & SdkFields;
  const status = fields.$metadata?.httpStatusCode ?? fields.$response?.statusCode;
  const attempts = fields.$metadata?.attempts ?? 1;
  const tries = attempts > 1 ? `, after ${attempts} attempts` : "";
  const code = typeof fields.code === "string" ? fields.code : undefined;

  if (error.message === "Region is missing" || CREDENTIAL_PROVIDER_ERRORS.has(error.name))
    return setupError(operation, error, site.profile);
  if (REFUSED_CREDENTIALS.has(error.name))
    return new AwsCallError({
      kind: "setup",
      operation,
      endpoint,
      code: error.name,
      detail: `AWS refused the credentials (${error.name}: ${error.message}); renew them or choose another profile`,
    });
  if (error.name === "TimeoutError" || code === "ETIMEDOUT")
    return new AwsCallError({
      kind: "unreachable",
      operation,
      endpoint,
      detail: `no answer within ${seconds(site.requestTimeoutMs)} s${tries}; check the endpoint, your network and any proxy`,
    });
  if (code !== undefined && NETWORK[code] !== undefined)
    return new AwsCallError({
      kind: "unreachable",
      operation,
      endpoint,
      detail: `${NETWORK[code]} (${code}${tries}); check the endpoint, your network and any proxy`,
    });
  if (fields.$responseBodyText !== undefined || /Deserialization error/.test(error.message))
    return new AwsCallError({
      kind: "unreadable",
      operation,
      endpoint,
      detail: `answered HTTP ${status ?? "(no status)"} with a body that is not CloudFormation's XML: ${excerpt(fields.$responseBodyText)}`,
    });
  if (status === undefined)
    return new AwsCallError({
      kind: "failed",
      operation,
      endpoint,
      detail: `${error.name}: ${error.message}`,
    });
  if (error.name === "Unknown" || error.name === "UnknownError" || error.name === "Error") {
    const type = fields.$response?.headers?.["content-type"];
    return new AwsCallError({
      kind: "unreadable",
      operation,
      endpoint,
      detail: `answered HTTP ${status}${type ? ` (${type})` : ""} without an AWS error code${tries}`,
    });
  }
  if (fields.$fault === "server" || THROTTLING.has(error.name))
    return new AwsCallError({
      kind: "failed",
      operation,
      endpoint,
      code: error.name,
      detail: `${error.name} (HTTP ${status}${tries}): ${error.message}`,
    });
  return new AwsCallError({
    kind: "refused",
    operation,
    endpoint,
    code: error.name,
    detail: `${error.name}: ${error.message}`,
  });
}

/** Whether `error` is CloudFormation's way of saying a stack does not exist (it has no NotFound error). */
export function isMissingStack(error: unknown): boolean {
  return (
    error instanceof AwsCallError && error.code === "ValidationError" && /does not exist/.test(error.detail)
  );
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
}

function excerpt(body: unknown): string {
  if (typeof body !== "string" || body.trim() === "") return "(empty)";
  const flat = body.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}...` : flat);
}
