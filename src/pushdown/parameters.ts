import { hasOwn, isMap, type Json, type JsonMap, own } from "./json";

/** Values CloudFormation gives the template's parameters (the macro event's `templateParameterValues`). */
export type ParameterValues = Readonly<Record<string, unknown>>;

/**
 * Resolves `{"Ref": "Param"}` the way SAM resolves an API's `Auth` before testing it: with the value
 * CloudFormation passes, else the parameter's `Default`. Anything else comes back as it is.
 *
 * SAM resolves parameters in an API's `Auth` but not in a route's, so `ApiKeyRequired: !Ref P` with
 * P = "" means no key on the API while the same intrinsic on a route would mean a key.
 */
export function resolveParameterRef(
  value: Json | undefined,
  template: JsonMap,
  values: ParameterValues,
): Json | undefined {
  const name = isMap(value) && Object.keys(value).length === 1 ? own(value, "Ref") : undefined;
  if (typeof name !== "string") return value;
  const parameters = own(template, "Parameters");
  const parameter = isMap(parameters) ? own(parameters, name) : undefined;
  if (!isMap(parameter)) return value;
  if (Object.hasOwn(values, name)) return values[name] as Json;
  return hasOwn(parameter, "Default") ? own(parameter, "Default") : value;
}
