import type { ApolloServer } from "@apollo/server";
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { Context } from "../context";
import { ErrorCode, GatewayError } from "../errors";
import type { Services } from "../services";
import type { RunOperation } from "./mcp-door";

/**
 * A tool call runs its named operation through Apollo exactly as a POST to /graphql would (the door has
 * charged the request's unit to the workspace's budget): the same query limits and cost, the same per-request GitHub session
 * (so concurrent tool calls of a workspace share upstream documents as concurrent requests do), the same
 * deadline, error codes and scrubbing. Its answer is the operation's `data`, or its errors.
 */
export function operationRunner(apollo: ApolloServer<Context>, services: Services): RunOperation {
  return async (tool, variables, principal, log): Promise<CallToolResult> => {
    const contextValue: Context = { principal, services, github: services.githubSession(principal, log), log };
    const response = await apollo.executeOperation({ query: tool.document, variables, operationName: tool.name }, { contextValue });
    if (response.body.kind !== "single") throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The operation answered in parts, which a tool cannot return.");
    const { data, errors } = response.body.singleResult;
    if (errors?.length) {
      const codes = errors.map((e) => String(e.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR));
      return { isError: true, content: [{ type: "text", text: errors.map((e, i) => `${codes[i]}: ${e.message}`).join("\n") }], _meta: { code: codes[0] } };
    }
    return { structuredContent: data ?? {}, content: [{ type: "text", text: JSON.stringify(data) }] };
  };
}
