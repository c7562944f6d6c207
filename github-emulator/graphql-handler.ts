import {
  execute, getOperationAST, getVariableValues, GraphQLError, Kind, parse, validate,
  type DocumentNode, type FragmentDefinitionNode,
} from "graphql";
import { Access } from "./access";
import { formatExecutionError, formatValidationError, type GitHubErrorJson } from "./errors";
import type { Authentication } from "./key-registry";
import { analyzeOperation, type OperationCost } from "./query-analysis";
import { insufficientScopes } from "./scopes";
import { secondaryLimitResponse, type SecondaryLimiter } from "./secondary-limits";
import type { RateLimiter } from "./rate-limits";
import { createFieldResolver, typeResolver, type ResolverContext } from "./resolver-kit";
import { resolvers } from "./resolvers";
import {
  badCredentials, GRAPHQL_DOCS, jsonHeaders, keyHeaders, notFoundResponse, rateLimitedMessage,
  rateLimitHeaders, unauthorized, type EmulatorResponse,
} from "./responses";
import type { GitHubSchemas } from "./github-schema";
import type { EmulatorStore } from "./store";
import type { RateLimitState } from "./types";

export interface GraphqlPayload {
  /** False when the body is not a JSON object (GitHub answers 400 "Problems parsing JSON"). */
  json: boolean;
  query?: unknown;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface GraphqlDeps {
  schemas: GitHubSchemas;
  store: EmulatorStore;
  limiter: RateLimiter;
  secondary: SecondaryLimiter;
  /** Objects one document may resolve before RESOURCE_LIMITS_EXCEEDED (resolver-kit.ts). */
  resourceLimit: number;
}

const fieldResolver = createFieldResolver(resolvers);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function readGraphqlPayload(body: string): GraphqlPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { json: false };
  }
  if (!isPlainObject(parsed)) return { json: false };
  return {
    json: true,
    query: parsed.query,
    variables: isPlainObject(parsed.variables) ? parsed.variables : undefined,
    operationName: typeof parsed.operationName === "string" ? parsed.operationName : undefined,
  };
}

function errorsOnly(errors: GitHubErrorJson[], headers: Record<string, string>, cost?: number): EmulatorResponse {
  // GitHub answers documents it refuses with HTTP 200 and no `data`.
  return { status: 200, headers, body: { errors }, cost };
}

type Prepared =
  | { ok: true; document: DocumentNode; cost: number; nodeCount: number; dryRun: boolean; isMutation: boolean; fields: OperationCost["fields"] }
  | { ok: false; errors: GitHubErrorJson[]; cost?: number };

/**
 * What the older schema refuses that github.com's accepts: the project's documents must run on GitHub
 * Enterprise Server releases too (schema/github-schema/README.md), so the emulator refuses them, saying why.
 */
const OLDER_SCHEMA = "Not valid on GitHub's schema of 2025-02-27 (@octokit/graphql-schema 15.26.1, as older GitHub Enterprise Server releases serve): ";

function olderSchemaError(error: GitHubErrorJson): GitHubErrorJson {
  return { ...error, message: `${OLDER_SCHEMA}${error.message}` };
}

type Parsed = { ok: true; document: DocumentNode } | { ok: false; errors: GitHubErrorJson[] };

/** Documents by their text: the same text always parses and validates the same, and clients repeat theirs. */
const parsedDocuments = new Map<string, Parsed>();
const MAX_PARSED_DOCUMENTS = 1000;

/** Parses a document and validates it against both of GitHub's schemas (the newer first, as github.com would). */
function parseAndValidate(schemas: GitHubSchemas, query: string): Parsed {
  const known = parsedDocuments.get(query);
  if (known) return known;
  let parsed: Parsed;
  try {
    const document = parse(query);
    const invalid = validate(schemas.current, document);
    const older = invalid.length > 0 ? [] : validate(schemas.npm, document);
    parsed = invalid.length > 0 ? { ok: false, errors: invalid.map(formatValidationError) }
      : older.length > 0 ? { ok: false, errors: older.map((e) => olderSchemaError(formatValidationError(e))) }
      : { ok: true, document };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    parsed = { ok: false, errors: [formatValidationError(error)] };
  }
  if (parsedDocuments.size >= MAX_PARSED_DOCUMENTS) parsedDocuments.delete(parsedDocuments.keys().next().value as string);
  parsedDocuments.set(query, parsed);
  return parsed;
}

/** Parse, validate against both of GitHub's schemas, coerce variables, then GitHub's limits and price. */
function prepare(schemas: GitHubSchemas, query: string, payload: GraphqlPayload): Prepared {
  const schema = schemas.current;
  const parsed = parseAndValidate(schemas, query);
  if (!parsed.ok) return parsed;
  const { document } = parsed;
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) {
    const message = payload.operationName
      ? `Unknown operation named "${payload.operationName}".`
      : "Must provide operation name if query contains multiple operations.";
    return { ok: false, errors: [{ message }] };
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
  if (coerced.errors) return { ok: false, errors: coerced.errors.map(formatValidationError) };
  // A variable's value must mean something on the older schema too (an enum value it lacks, say).
  const olderCoerced = getVariableValues(schemas.npm, operation.variableDefinitions ?? [], payload.variables ?? {});
  if (olderCoerced.errors) return { ok: false, errors: olderCoerced.errors.map((e) => olderSchemaError(formatValidationError(e))) };
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const analysis = analyzeOperation(schema, fragments, operation, coerced.coerced);
  if (!analysis.ok) return { ok: false, errors: analysis.errors };
  const { cost, nodeCount, dryRun, isMutation, fields } = analysis.value;
  return { ok: true, document, cost, nodeCount, dryRun, isMutation, fields };
}

/** POST /graphql (and GHES's /api/graphql). */
export async function handleGraphql(
  method: string,
  auth: Authentication,
  payload: GraphqlPayload,
  deps: GraphqlDeps,
  requestId: string,
): Promise<EmulatorResponse> {
  if (method !== "POST") return notFoundResponse(GRAPHQL_DOCS);
  if (auth.kind === "none") {
    return unauthorized(
      "This endpoint requires you to be authenticated.",
      "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql",
      "graphql",
    );
  }
  if (auth.kind === "invalid") return badCredentials("graphql");
  const key = auth.key;
  const userId = key.user.databaseId;
  const headersFor = (state: RateLimitState) => ({
    ...jsonHeaders("github.v4"), ...keyHeaders(key), ...rateLimitHeaders(state, "graphql"),
  });
  if (!payload.json) {
    return {
      status: 400,
      headers: headersFor(deps.limiter.peek(userId, "graphql")),
      body: { message: "Problems parsing JSON", documentation_url: GRAPHQL_DOCS, status: "400" },
    };
  }
  if (typeof payload.query !== "string") {
    const message = "A query attribute must be specified and must be a string.";
    return errorsOnly([{ message }], headersFor(deps.limiter.peek(userId, "graphql")));
  }
  const prepared = prepare(deps.schemas, payload.query, payload);
  if (!prepared.ok) return errorsOnly(prepared.errors, headersFor(deps.limiter.peek(userId, "graphql")));
  const missingScope = insufficientScopes(key, prepared.fields);
  if (missingScope) return { ...errorsOnly([missingScope], headersFor(deps.limiter.peek(userId, "graphql"))), body: { data: null, errors: [missingScope] } };

  const { cost, isMutation } = prepared;
  if (!deps.secondary.charge(userId, "graphql", isMutation ? 5 : 1)) return { ...secondaryLimitResponse("graphql", key, deps.limiter, requestId), isMutation };
  let state: RateLimitState;
  if (prepared.dryRun) {
    state = deps.limiter.peek(userId, "graphql");
  } else {
    const charged = deps.limiter.charge(userId, "graphql", cost);
    state = charged.state;
    if (!charged.ok) {
      const message = rateLimitedMessage(userId, state.remaining);
      return { ...errorsOnly([{ type: "RATE_LIMITED", code: "graphql_rate_limit", message }], headersFor(state), cost), isMutation };
    }
  }
  const context: ResolverContext = {
    store: deps.store, viewer: key.user, rateLimit: { ...state, cost, nodeCount: prepared.nodeCount },
    access: new Access(key, deps.store), acceptedPermissions: new Set(), ssoRequired: new Set(),
    resources: { used: 0, limit: deps.resourceLimit },
    createContent: () => deps.secondary.createContent(userId),
  };
  const body = await run(prepared.document, payload, deps, context);
  const headers = headersFor(state);
  // A refusal for a missing fine-grained permission names what would have been accepted.
  if (context.acceptedPermissions.size > 0) headers["x-accepted-github-permissions"] = [...context.acceptedPermissions].join(",");
  // The organization whose SAML SSO refused a field, and where its owner authorises the key.
  const sso = [...context.ssoRequired][0];
  if (sso) headers["x-github-sso"] = `required; url=https://github.com/orgs/${sso}/sso?authorization_request=${requestId.replace(/:/g, "")}`;
  return { status: 200, headers, body, cost, isMutation };
}

async function run(
  document: DocumentNode,
  payload: GraphqlPayload,
  deps: GraphqlDeps,
  contextValue: ResolverContext,
): Promise<{ data?: unknown; errors?: GitHubErrorJson[] }> {
  const result = await execute({
    schema: deps.schemas.current,
    document,
    rootValue: {},
    contextValue,
    variableValues: payload.variables,
    operationName: payload.operationName,
    fieldResolver,
    typeResolver,
  });
  return result.errors ? { data: result.data, errors: result.errors.map(formatExecutionError) } : { data: result.data };
}
