import { TemplateShapeError } from "./errors";
import { describe, type JsonMap, own } from "./json";
import { optionalMap } from "./template";

/** Where a template configures the macro: `Metadata: {CorsKeyPushdown: {...}}`. */
export const SETTINGS_KEY = "CorsKeyPushdown";

/** What a template may ask of the macro, with the defaults a browser needs. */
export interface Settings {
  /** Keep SAM's default authorizer on CORS preflights (default: free them, as browsers send no token). */
  readonly keepDefaultAuthorizerOnPreflights: boolean;
  /** Add CORS headers to API Gateway's own error answers (default: yes, so browsers show the real 403/429). */
  readonly corsHeadersOnErrorResponses: boolean;
}

const DEFAULTS: Settings = { keepDefaultAuthorizerOnPreflights: false, corsHeadersOnErrorResponses: true };

/** The template keys of each setting. */
const KEYS: Readonly<Record<string, keyof Settings>> = {
  KeepDefaultAuthorizerOnPreflights: "keepDefaultAuthorizerOnPreflights",
  CorsHeadersOnErrorResponses: "corsHeadersOnErrorResponses",
};

/**
 * Reads `Metadata.CorsKeyPushdown`. Unknown keys and non-boolean values are refused: a misspelt setting
 * silently ignored would leave the user believing they had turned something off.
 *
 * @throws TemplateShapeError naming the setting and what it accepts
 */
export function readSettings(template: JsonMap): Settings {
  const metadata = optionalMap(own(template, "Metadata"), ["Metadata"]);
  const path = ["Metadata", SETTINGS_KEY];
  const written =
    metadata && optionalMap(own(metadata, SETTINGS_KEY), path, "a map of CorsKeyPushdown settings");
  if (!written) return DEFAULTS;
  const settings: { -readonly [K in keyof Settings]: boolean } = { ...DEFAULTS };
  for (const [key, value] of Object.entries(written)) {
    const name = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (name === undefined)
      throw new TemplateShapeError(
        [...path, key],
        `one of ${Object.keys(KEYS).join(", ")}`,
        `the key ${key}`,
      );
    if (typeof value !== "boolean")
      throw new TemplateShapeError([...path, key], "true or false", describe(value));
    settings[name] = value;
  }
  return settings;
}
