import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLTypeResolver } from "graphql";
import type { Access } from "./access";
import { resourceLimitsExceeded } from "./errors";
import type { EmulatorStore, UserRecord } from "./store";

/** What `rateLimit { ... }` reports for the current query (values after this query's charge). */
export interface RateLimitReport {
  limit: number;
  cost: number;
  remaining: number;
  used: number;
  resetAt: Date;
  nodeCount: number;
}

export interface ResolverContext {
  store: EmulatorStore;
  viewer: UserRecord;
  rateLimit: RateLimitReport;
  /** What the request's key may see and do. */
  access: Access;
  /** Permissions a refused field needed; sent back as `x-accepted-github-permissions`. */
  acceptedPermissions: Set<string>;
  /** SAML SSO organizations a field was refused for; the first is named in `x-github-sso`. */
  ssoRequired: Set<string>;
  /** Objects this document has resolved so far, against GitHub's per-document resource limit. */
  resources: { used: number; limit: number };
  /** Counts one content-creating mutation against the secondary limits; false when over them. */
  createContent: () => boolean;
}

export type Args = Record<string, unknown>;

export type FieldResolver<TSource> = (
  source: TSource,
  args: Args,
  context: ResolverContext,
  info: GraphQLResolveInfo,
) => unknown;

/** A GitHub type's field resolvers, erased to a common shape for the map keyed by type name. */
export type TypeResolvers = Readonly<Record<string, FieldResolver<unknown>>>;

export type ResolverMap = Readonly<Record<string, TypeResolvers>>;

/**
 * Declares the resolvers of one GitHub type with its source record type. The erasure is safe
 * because graphql only hands a type's resolvers values that `typeResolver` or the parent field
 * placed there.
 */
export function defineType<TSource>(fields: Record<string, FieldResolver<TSource>>): TypeResolvers {
  return fields as unknown as TypeResolvers;
}

/** Fields read straight from the source object under the same name. */
export function passthrough<TSource>(...names: Array<keyof TSource & string>): Record<string, FieldResolver<TSource>> {
  const out: Record<string, FieldResolver<TSource>> = {};
  for (const name of names) out[name] = (source) => source[name];
  return out;
}

/** GitHub's DateTime: ISO 8601 in UTC without milliseconds. */
export function gitHubDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

// Connection, edge and page-info objects built by paginate() already have GitHub's field names.
function isStructural(typeName: string): boolean {
  return typeName.endsWith("Connection") || typeName.endsWith("Edge") || typeName === "PageInfo";
}

/**
 * Every field goes through the map; a field the emulator does not implement yet resolves to null
 * (a non-null one then fails the way graphql-js reports it), so adding a type never needs changes here.
 */
/**
 * Charges the objects a field resolved (each item of a list counts) to the document's resource budget.
 * Past it, the field fails with RESOURCE_LIMITS_EXCEEDED and graphql-js nulls up to the nearest nullable
 * parent, keeping what was resolved before: GitHub's "partial results along with an error" (its docs,
 * "Other resource limits"; the README says how the emulator sizes the budget).
 */
function chargeResources(value: unknown, context: ResolverContext): void {
  const objects = Array.isArray(value) ? value.length : isRecord(value) && !(value instanceof Date) ? 1 : 0;
  if (objects === 0) return;
  context.resources.used += objects;
  if (context.resources.used > context.resources.limit) throw resourceLimitsExceeded();
}

export function createFieldResolver(map: ResolverMap): GraphQLFieldResolver<unknown, ResolverContext> {
  return (source, args, context, info) => {
    const resolve = map[info.parentType.name]?.[info.fieldName];
    let value: unknown;
    if (resolve) value = resolve(source, args, context, info);
    else if (isStructural(info.parentType.name) && isRecord(source)) value = source[info.fieldName];
    else value = null;
    chargeResources(value, context);
    return value instanceof Date ? gitHubDateTime(value) : value;
  };
}

/** Interfaces and unions (Node, Actor, RepositoryOwner, ...) resolve by the record's `__typename`. */
export const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value) =>
  isRecord(value) && typeof value.__typename === "string" ? value.__typename : undefined;
