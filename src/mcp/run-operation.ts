import type { ApolloServer } from "@apollo/server";
import type { Context } from "../context";
import { ErrorCode, GatewayError } from "../errors";
import { visibleDeep, visibleText } from "../github/visible-text";
import type { Services } from "../services";
import type { OperationOutcome, RunOperation } from "./mcp-door";

/**
 * A tool call (or a thread resource's read) runs its named operation through Apollo exactly as a POST to
 * /graphql would (the door has charged the request's unit to the workspace's budget): the same query limits
 * and cost, the same per-request GitHub session (so concurrent tool calls of a workspace share upstream
 * documents as concurrent requests do), the same deadline, error codes and scrubbing. Its outcome is the
 * operation's `data` or its errors, as visible text (visible-text.ts): on this door, GitHub's text, which is
 * anyone's, reaches a model, so only what GitHub's page would show.
 */
export function operationRunner(apollo: ApolloServer<Context>, services: Services): RunOperation {
  return async (tool, variables, principal, log): Promise<OperationOutcome> => {
    const github = services.githubSession(principal, log);
    await services.turn(principal.tenant);
    const contextValue: Context = { principal, services, github, log };
    const response = await apollo.executeOperation({ query: tool.document, variables, operationName: tool.name }, { contextValue }).finally(() => github.end());
    if (response.body.kind !== "single") throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The operation answered in parts, which a tool cannot return.");
    const { data, errors } = response.body.singleResult;
    if (errors?.length) return { errors: errors.map((e) => ({ code: String(e.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR), message: visibleText(e.message) })) };
    // As the JSON /graphql would send (scalars such as DateTime serialised), then as visible text.
    return { data: visibleDeep(JSON.parse(JSON.stringify(data ?? {})) as Record<string, unknown>) };
  };
}
