import type { Edit } from "./edits";
import type { Json, JsonMap } from "./json";
import { type Route, routeAuthPath } from "./routes";

/**
 * A change to a route's `Auth`: the whole map (`authKey` undefined) or one key in it. It names the map
 * it changes, so the handler edits in place; its path from the root is built only if asked for, since a
 * template may hold thousands of routes.
 */
export class RouteAuthEdit {
  public constructor(
    public readonly kind: "set" | "delete",
    private readonly route: Route,
    private readonly authKey: string | undefined,
    public readonly value: Json = null,
  ) {}

  public get parent(): JsonMap {
    return this.authKey === undefined ? this.route.properties : (this.route.auth as JsonMap);
  }

  public get key(): string {
    return this.authKey ?? "Auth";
  }

  public get path(): readonly string[] {
    return routeAuthPath(this.route, this.authKey);
  }

  /** The same edit in the shape every caller reads. */
  public static edit(kind: "set" | "delete", route: Route, authKey: string | undefined, value?: Json): Edit {
    return new RouteAuthEdit(kind, route, authKey, value) as Edit;
  }
}

/**
 * The common case of {@link RouteAuthEdit}: a route without `Auth` gets a whole map. Two fields instead
 * of four, for the thousands of routes a large template pushes the key down to.
 */
export class NewRouteAuth {
  public constructor(
    private readonly route: Route,
    public readonly value: JsonMap,
  ) {}

  public get kind(): "set" {
    return "set";
  }

  public get parent(): JsonMap {
    return this.route.properties;
  }

  public get key(): string {
    return "Auth";
  }

  public get path(): readonly string[] {
    return routeAuthPath(this.route);
  }
}
