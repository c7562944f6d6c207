import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, type ValidationContext, type ValidationRule } from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import type { Config } from "../config";
import type { Context } from "../context";
import { documentRefused, type GatewayError, isGatewayError, queryTooComplex } from "../errors";
import type { TenantRateLimit } from "./tenant-rate-limit";

export interface QueryLimitParts {
  plugins: ApolloServerPlugin<Context>[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
}

/** graphql-armor reports a refusal through this: the contract's QUERY_TOO_COMPLEX, in the validation errors. */
const rejectAs = (limit: string, max: number) => (ctx: ValidationContext | null, error: GraphQLError) => {
  ctx?.reportError(queryTooComplex(error.message.replace(/^Syntax Error: /, ""), { limit, max }));
};

const armorLimit = (limit: string, n: number) => ({ n, propagateOnRejection: false, onReject: [rejectAs(limit, n)] });

/**
 * What a query can spend on GitHub: each field that calls GitHub declares its cost as its type-graphql
 * `complexity` (the resolvers, with src/github/github-points.ts), which reaches the schema as the field's
 * `extensions.complexity`; every other field costs nothing itself, only what it selects.
 */
export const upstreamCostEstimators = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 0 })];

/** graphql-query-complexity's own ceiling on the nodes it counts (its default maxQueryNodes). */
const MAX_COUNTED_NODES = 10_000;

/**
 * Why getComplexity could not price a document, as the contract's error. It throws for two reasons:
 * variables it cannot coerce (an explicit null for a non-null argument hiding behind a default),
 * which the caller must fix, and more counted nodes than it will walk (fragments spread many times).
 */
function uncountable(e: unknown): GatewayError {
  const message = e instanceof Error ? e.message : String(e);
  if (/maximum allowed number of nodes/i.test(message)) {
    return queryTooComplex(`This query has more than ${MAX_COUNTED_NODES} fields once its fragments are spread; its cost cannot be counted. Split it.`, {
      limit: "nodes",
      max: MAX_COUNTED_NODES,
    });
  }
  if (e instanceof GraphQLError && !isGatewayError(e)) {
    // graphql-js's variable and argument coercion messages name the variable or argument, never data of ours.
    return documentRefused(e.message);
  }
  return queryTooComplex("This query's cost cannot be counted, so it is not run.", { limit: "cost" });
}

/**
 * Every limit a query meets before anything reaches GitHub: graphql-armor for depth, aliases, directives
 * and field suggestions; graphql-js's parser for tokens; graphql-query-complexity for the GitHub look-ups it may make, which also
 * prices it against the tenant's rate limit.
 */
export function queryLimits(config: Config, tenantLimit: TenantRateLimit): QueryLimitParts {
  const { maxDepth, maxAliases, maxTokens, maxCost } = config.queryLimits;
  const armor = new ApolloArmor({
    maxDepth: { ...armorLimit("depth", maxDepth), ignoreIntrospection: true, flattenFragments: true },
    maxAliases: armorLimit("aliases", maxAliases),
    maxDirectives: armorLimit("directives", 50),
    // Tokens are counted by graphql-js's own parser limit (parseOptions below): armor's parsing plugin
    // can only throw past Apollo's error handling, which loses the code.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !config.graphql.fieldSuggestions },
  }).protect();

  const costPlugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, response, operationName, contextValue }) {
          // A cost that cannot be computed is never a free pass: the document is refused, not run.
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, variables: request.variables ?? {}, operationName: operationName ?? undefined, estimators: upstreamCostEstimators });
          } catch (e) {
            throw uncountable(e);
          }
          if (cost > maxCost) {
            throw queryTooComplex(`This query could make ${cost} GitHub requests; at most ${maxCost} are allowed in one request. Split it.`, { limit: "cost", max: maxCost, found: cost });
          }
          // The request's own units were taken before it was parsed (admission.ts); now its look-ups.
          try {
            if (cost > 0) await tenantLimit.take(contextValue.principal.tenant, cost);
          } catch (e) {
            if (isGatewayError(e) && e.extensions.retryAfter) response.http.headers.set("retry-after", String(e.extensions.retryAfter));
            throw e;
          }
        },
      };
    },
  };

  return { plugins: [...(armor.plugins as ApolloServerPlugin<Context>[]), costPlugin], validationRules: armor.validationRules, parseOptions: { maxTokens } };
}
