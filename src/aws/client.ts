import { CloudFormationClient, type CloudFormationClientConfig } from "@aws-sdk/client-cloudformation";
import type { CliIo } from "../cli/io";

/** Where and as whom to call AWS, from the command line and the environment. */
export interface AwsTarget {
  readonly region: string | undefined;
  readonly profile: string | undefined;
}

/**
 * A CloudFormation client for `target`. Settings come from `io.env` rather than only from `process.env` so
 * a command behaves the same whoever calls it: `AWS_REGION`/`AWS_DEFAULT_REGION` for the region,
 * `AWS_PROFILE` for the profile, static keys when no profile was chosen, and `AWS_ENDPOINT_URL_CLOUDFORMATION`
 * or `AWS_ENDPOINT_URL` for the endpoint (emulators, VPC endpoints). Without any of these, the SDK's usual
 * chain applies (shared config and credentials files, SSO, instance roles).
 */
export function cloudFormationClient(target: AwsTarget, io: CliIo): CloudFormationClient {
  const env = io.env;
  const profile = target.profile ?? env.AWS_PROFILE;
  const config: CloudFormationClientConfig = {};
  const region = target.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) config.region = region;
  if (profile) config.profile = profile;
  const endpoint = env.AWS_ENDPOINT_URL_CLOUDFORMATION ?? env.AWS_ENDPOINT_URL;
  if (endpoint) config.endpoint = endpoint;
  if (!profile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return new CloudFormationClient(config);
}

/** The region the client will call, or a placeholder when it cannot be resolved yet. */
export async function regionOf(client: CloudFormationClient): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    return "(no region)";
  }
}

// Errors that say the caller cannot talk to AWS at all, as opposed to AWS refusing what was asked.
const SETUP_ERRORS = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "InvalidSignatureException",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "TokenProviderError",
]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "ETIMEDOUT"]);

/** Whether `error` means the command could not reach or authenticate to AWS (exit 2, not 1). */
export function isSetupError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (SETUP_ERRORS.has(error.name) || error.message === "Region is missing") return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && NETWORK_CODES.has(code);
}

/** A one-line explanation of an AWS or SDK error, with a hint for the usual set-up mistakes. */
export function describeAwsError(error: unknown, target: AwsTarget, io: CliIo): string {
  if (!(error instanceof Error)) return String(error);
  const profile = target.profile ?? io.env.AWS_PROFILE;
  if (error.message === "Region is missing")
    return "no AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile";
  if (error.name === "CredentialsProviderError")
    return profile
      ? `no usable credentials for profile "${profile}" (${error.message}); check ~/.aws/config or run aws sso login --profile ${profile}`
      : `no AWS credentials found (${error.message}); set AWS_PROFILE, pass --profile, or configure credentials`;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && NETWORK_CODES.has(code))
    return `could not reach CloudFormation: ${error.message}`;
  return error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : error.message;
}
