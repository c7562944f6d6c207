import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLError, ValidationContext, ValidationRule } from "graphql";
import { getComplexity } from "graphql-query-complexity";
import type { Config } from "../config";
import type { Context } from "../context";
import { isGatewayError, queryTooComplex } from "../errors";
import type { TenantRateLimit } from "./tenant-rate-limit";
import { upstreamCostEstimator } from "./upstream-cost";

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
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, variables: request.variables ?? {}, operationName: operationName ?? undefined, estimators: [upstreamCostEstimator] });
          } catch {
            return; // Variables that do not fit: execution answers that with BAD_USER_INPUT.
          }
          if (cost > maxCost) {
            throw queryTooComplex(`This query could make ${cost} GitHub requests; at most ${maxCost} are allowed in one request. Split it.`, { limit: "cost", max: maxCost, found: cost });
          }
          try {
            await tenantLimit.take(contextValue.principal.tenant, 1 + cost);
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
