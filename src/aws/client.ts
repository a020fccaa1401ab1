import { CloudFormationClient, type CloudFormationClientConfig } from "@aws-sdk/client-cloudformation";
import { errorMessage } from "../pushdown";
import { AwsCallError, type CallSite, setupError, toAwsCallError } from "./errors";

/** Where and as whom to call AWS, from the command line. */
export interface AwsTarget {
  readonly region: string | undefined;
  readonly profile: string | undefined;
}

/** The environment variables the client reads, so callers (and tests) decide what it sees. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * How long one CloudFormation request may take, and how often it is tried. The SDK's own HTTP handler and
 * retry strategy enforce these; nothing here counts time by hand.
 */
export interface RequestLimits {
  /** Time to open the connection (TCP and TLS). */
  readonly connectionTimeoutMs: number;
  /** Time for one attempt, from the start of the connection to the last byte of the answer. */
  readonly requestTimeoutMs: number;
  /** Attempts per request, the first one included (the SDK's standard retry mode). */
  readonly maxAttempts: number;
}

/**
 * CloudFormation answers in well under a second and a 1 MB template downloads in a few; 12 s per attempt
 * and 3 attempts give a request that never comes back {@link worstCaseMs} of about 40 s, so a command
 * against an endpoint that accepts connections and never answers stops within a minute.
 */
export const DEFAULT_LIMITS: RequestLimits = {
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 12_000,
  maxAttempts: 3,
};

// The standard retry strategy waits at most 2^attempt x 500 ms (throttling) between attempts.
const MAX_BACKOFF_BASE_MS = 500;

/** The longest one request can take under `limits` before it fails, retries and their back-off included. */
export function worstCaseMs(limits: RequestLimits): number {
  let backoff = 0;
  for (let attempt = 1; attempt < limits.maxAttempts; attempt += 1)
    backoff += 2 ** attempt * MAX_BACKOFF_BASE_MS;
  return limits.maxAttempts * limits.requestTimeoutMs + backoff;
}

/**
 * A CloudFormation client for `target`. Settings come from `env` rather than only from `process.env`, so a
 * command behaves the same whoever calls it: `AWS_REGION`/`AWS_DEFAULT_REGION` for the region, `AWS_PROFILE`
 * for the profile, static keys when no profile was chosen, and `AWS_ENDPOINT_URL_CLOUDFORMATION` or
 * `AWS_ENDPOINT_URL` for the endpoint (emulators, VPC endpoints). Without any of these, the SDK's usual chain
 * applies (shared config and credentials files, SSO, instance roles).
 */
export function cloudFormationClient(
  target: AwsTarget,
  env: Environment,
  limits: RequestLimits = DEFAULT_LIMITS,
): CloudFormationClient {
  const profile = target.profile ?? env.AWS_PROFILE;
  const config: CloudFormationClientConfig = {
    maxAttempts: limits.maxAttempts,
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without it a request over its time only logs a warning and goes on waiting.
      throwOnRequestTimeout: true,
      // The request timeout stops at the answer's headers; this one catches a body that stalls after them.
      socketTimeout: limits.requestTimeoutMs,
    },
  };
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

/**
 * A client and what messages say about it: the region and the endpoint URL every request goes to.
 * Operations in this folder take one, so each error can name where it happened.
 */
export interface CloudFormation extends CallSite {
  readonly client: CloudFormationClient;
  readonly region: string;
}

/**
 * Resolves the region and endpoint of `client` before any request, so a missing region is reported as such
 * rather than as the failure of whichever request came first.
 *
 * @param settings the profile (named in the advice when credentials are missing) and the limits the client
 *   was built with (named when a request times out)
 * @throws AwsCallError of kind `setup` when no region is configured
 */
export async function connect(
  client: CloudFormationClient,
  settings: { profile?: string | undefined; limits?: RequestLimits } = {},
): Promise<CloudFormation> {
  const profile = settings.profile;
  let region: string;
  try {
    region = await client.config.region();
  } catch (error) {
    throw setupError("resolving the region", error, profile);
  }
  if (!region) throw setupError("resolving the region", new Error("Region is missing"), profile);
  const endpoint = await endpointOf(client, region);
  const requestTimeoutMs = (settings.limits ?? DEFAULT_LIMITS).requestTimeoutMs;
  return { client, region, endpoint, profile, requestTimeoutMs };
}

/** How a command reaches CloudFormation: a ready client (tests), or the limits of the one it builds. */
export interface ClientOptions {
  /** A ready client, instead of one built from the arguments and the environment. */
  readonly client?: CloudFormationClient;
  /** Request timeouts and retries of the client built from the arguments (default {@link DEFAULT_LIMITS}). */
  readonly limits?: RequestLimits;
}

/**
 * The client a command uses, built for `target` unless `options` hands one over, then {@link connect}ed.
 *
 * @throws AwsCallError of kind `setup` when no region is configured
 */
export async function openCloudFormation(
  target: AwsTarget,
  env: Environment,
  options: ClientOptions = {},
): Promise<CloudFormation> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const client = options.client ?? cloudFormationClient(target, env, limits);
  return connect(client, { profile: target.profile ?? env.AWS_PROFILE, limits });
}

/**
 * Runs one CloudFormation call (a `send`, or a whole paginator or waiter) and turns its failure into an
 * {@link AwsCallError} naming `operation` and the endpoint.
 *
 * @param operation the API name, such as `GetTemplate`
 */
export async function call<T>(cfn: CloudFormation, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAwsCallError(error, `CloudFormation ${operation}`, cfn);
  }
}

async function endpointOf(client: CloudFormationClient, region: string): Promise<string> {
  const config = client.config;
  try {
    if (config.endpoint) {
      const { protocol, hostname, port, path } = await config.endpoint();
      const trimmed = path === "/" ? "" : path;
      return `${protocol}//${hostname}${port === undefined ? "" : `:${port}`}${trimmed}`;
    }
    const { url } = config.endpointProvider({
      Region: region,
      UseFIPS: await config.useFipsEndpoint(),
      UseDualStack: await config.useDualstackEndpoint(),
    });
    return url.href.replace(/\/$/, "");
  } catch (error) {
    throw new AwsCallError({
      kind: "setup",
      operation: "resolving the endpoint",
      endpoint: `CloudFormation in ${region}`,
      detail: errorMessage(error),
    });
  }
}
