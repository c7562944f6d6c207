import { DateTimeResolver } from "graphql-scalars";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { authChecker } from "./auth/auth-checker";
import { GitHubListsResolver } from "../resolvers/github-lists.resolver";
import { GitHubMutationResolver } from "../resolvers/github-mutation.resolver";
import { GitHubThreadResolver } from "../resolvers/github-thread.resolver";
import { GitHubResolver } from "../resolvers/github.resolver";
import { IntegrationResolver } from "../resolvers/integration.resolver";

export const resolvers = [IntegrationResolver, GitHubResolver, GitHubListsResolver, GitHubThreadResolver, GitHubMutationResolver] as const;

/** The gateway's schema; `emitSchemaFile` writes schema/schema.graphql (`npm run schema`). */
export function buildGatewaySchema(emitSchemaFile?: string): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    emitSchemaFile: emitSchemaFile ? { path: emitSchemaFile, sortedSchema: true } : false,
    validate: false,
  });
}
