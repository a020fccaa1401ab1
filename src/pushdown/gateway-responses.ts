import type { ApiModel } from "./apis";
import { type BodyModel, GATEWAY_RESPONSES_KEY } from "./body";
import type { Edit } from "./edits";
import { isPlainMap, type Json, type JsonMap, own } from "./json";
import type { GatewayResponsesOutcome } from "./report";

/** API Gateway's catch-all answers: every 4XX (403 missing key, 429 throttled, ...) and 5XX it sends itself. */
export const DEFAULT_RESPONSE_TYPES = ["DEFAULT_4XX", "DEFAULT_5XX"] as const;

const ALLOW_ORIGIN = "Access-Control-Allow-Origin";
const ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
const BODY_HEADER_PREFIX = "gatewayresponse.header.";

/** The CORS headers an API's error answers get, and the edits that add them. */
export interface GatewayResponsesPlan {
  readonly outcome: GatewayResponsesOutcome;
  readonly edits: readonly Edit[];
  /** The headers sent, for comparing APIs that share `Globals.Api.GatewayResponses`. */
  readonly headers: JsonMap;
  /** The API's error answers were left alone (the outcome's reason says why). */
  readonly skipped: boolean;
}

/**
 * Plans CORS headers on API Gateway's own error answers of one API, so a browser shows the real 403 or
 * 429 instead of a CORS error: `Access-Control-Allow-Origin` with exactly the preflights' origin (and
 * `Access-Control-Allow-Credentials` where the preflights send it) on `DEFAULT_4XX`, `DEFAULT_5XX` and
 * every response type the user defines.
 *
 * Merges, never overwrites: a header or response type the user wrote stays as written. A type the body
 * already defines is completed in the body, because SAM's `GatewayResponses` would replace it there.
 *
 * @param resourceTypes - response types set by `AWS::ApiGateway::GatewayResponse` resources of this API
 */
export function planGatewayResponses(
  api: ApiModel,
  body: BodyModel,
  resourceTypes: ReadonlySet<string> | undefined,
): GatewayResponsesPlan | undefined {
  const cors = api.cors;
  if (cors === undefined) return undefined;
  const headers: JsonMap = { [ALLOW_ORIGIN]: cors.origin };
  if (cors.credentials) headers[ALLOW_CREDENTIALS] = "'true'";
  const skip = (reason: string): GatewayResponsesPlan => ({
    outcome: { added: [], reason },
    skipped: true,
    edits: [],
    headers,
  });
  if (api.definitionBody === undefined && api.hasDefinitionUri)
    return skip("the API is defined by DefinitionUri; SAM adds gateway responses only to an inline body");
  if (resourceTypes?.has("*"))
    return skip(
      "an AWS::ApiGateway::GatewayResponse resource of this API sets a response type known only at deploy",
    );
  if (body.gatewayResponses === null)
    return skip("the DefinitionBody's gateway responses cannot be read, and SAM's would replace them");
  const property = api.gatewayResponses;
  if (property !== undefined && !isPlainMap(property))
    return skip("GatewayResponses is not a plain map, so nothing can be merged into it");
  const fromBody = body.gatewayResponses ?? {};
  const types = new Set<string>([
    ...DEFAULT_RESPONSE_TYPES,
    ...Object.keys(property ?? {}),
    ...Object.keys(fromBody),
  ]);
  const own = api.propertiesPath;
  const edits: Edit[] = [];
  const added: string[] = [];
  const leftAlone: string[] = [];
  for (const type of types) {
    if (resourceTypes?.has(type)) {
      leftAlone.push(type);
      continue;
    }
    const inProperty = property?.[type];
    const inBody = fromBody[type];
    let typeEdits: Edit[] | undefined;
    if (inProperty !== undefined)
      typeEdits = propertyEdits([...own, "GatewayResponses", type], inProperty, headers);
    else if (inBody !== undefined)
      typeEdits = bodyEdits([...own, "DefinitionBody", GATEWAY_RESPONSES_KEY, type], inBody, headers);
    else
      typeEdits = [
        {
          kind: "set",
          path: [...own, "GatewayResponses", type],
          value: { ResponseParameters: { Headers: { ...headers } } },
        },
      ];
    if (typeEdits === undefined)
      return skip(`GatewayResponses.${type} is not a plain map, so nothing can be merged into it`);
    if (typeEdits.length > 0) added.push(type);
    edits.push(...typeEdits);
  }
  const note =
    leftAlone.length > 0
      ? `; ${leftAlone.join(", ")} left to the AWS::ApiGateway::GatewayResponse resources that set them`
      : "";
  const reason =
    added.length > 0
      ? `API Gateway's own error answers now carry the preflights' CORS origin, so browsers show their status${note}`
      : `every error answer already carries a CORS origin${note}`;
  return { outcome: { added, reason }, edits, headers, skipped: false };
}

/** Headers missing from a `GatewayResponses` entry, as edits; `undefined` when the entry cannot take them. */
function propertyEdits(at: readonly string[], entry: Json, headers: JsonMap): Edit[] | undefined {
  const parameters = plainMapOrAbsent(entry, "ResponseParameters");
  if (parameters === null) return undefined;
  const written = parameters === undefined ? undefined : plainMapOrAbsent(parameters, "Headers");
  if (written === null) return undefined;
  const present = new Set(Object.keys(written ?? {}).map((name) => name.toLowerCase()));
  return Object.entries(headers)
    .filter(([name]) => !present.has(name.toLowerCase()))
    .map(([name, value]) => ({ kind: "set", path: [...at, "ResponseParameters", "Headers", name], value }));
}

/** The same for an entry of the body's `x-amazon-apigateway-gateway-responses`. */
function bodyEdits(at: readonly string[], entry: Json, headers: JsonMap): Edit[] | undefined {
  const parameters = plainMapOrAbsent(entry, "responseParameters");
  if (parameters === null) return undefined;
  const present = new Set(Object.keys(parameters ?? {}).map((name) => name.toLowerCase()));
  return Object.entries(headers)
    .map(([name, value]) => [`${BODY_HEADER_PREFIX}${name}`, value] as const)
    .filter(([key]) => !present.has(key.toLowerCase()))
    .map(([key, value]) => ({ kind: "set", path: [...at, "responseParameters", key], value }));
}

/** `map[key]` when it is a plain map, `undefined` when absent, `null` when it is anything else (or `map` is). */
function plainMapOrAbsent(map: Json, key: string): JsonMap | undefined | null {
  if (!isPlainMap(map)) return null;
  const value = own(map, key);
  if (value === undefined) return undefined;
  return isPlainMap(value) ? value : null;
}
