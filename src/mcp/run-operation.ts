import type { ApolloServer } from "@apollo/server";
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { Context } from "../context";
import { ErrorCode, GatewayError } from "../errors";
import { visibleDeep, visibleText } from "../github/visible-text";
import type { Services } from "../services";
import type { RunOperation } from "./mcp-door";
import { moreExists } from "./more-exists";

/**
 * A tool call runs its named operation through Apollo exactly as a POST to /graphql would (the door has
 * charged the request's unit to the workspace's budget): the same query limits and cost, the same per-request GitHub session
 * (so concurrent tool calls of a workspace share upstream documents as concurrent requests do), the same
 * deadline, error codes and scrubbing. Its answer is the operation's `data` as visible text (visible-text.ts),
 * or its errors.
 */
export function operationRunner(apollo: ApolloServer<Context>, services: Services): RunOperation {
  return async (tool, variables, principal, log): Promise<CallToolResult> => {
    const contextValue: Context = { principal, services, github: services.githubSession(principal, log), log };
    const response = await apollo.executeOperation({ query: tool.document, variables, operationName: tool.name }, { contextValue });
    if (response.body.kind !== "single") throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The operation answered in parts, which a tool cannot return.");
    const { data, errors } = response.body.singleResult;
    if (errors?.length) {
      const codes = errors.map((e) => String(e.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR));
      return { isError: true, content: [{ type: "text", text: errors.map((e, i) => `${codes[i]}: ${visibleText(e.message)}`).join("\n") }], _meta: { code: codes[0] } };
    }
    // Text from GitHub is anyone's: on this door it reaches a model, so only what GitHub's page would show.
    // As the JSON /graphql would send (scalars such as DateTime serialised), then as visible text.
    const visible = visibleDeep(JSON.parse(JSON.stringify(data ?? {})) as Record<string, unknown>);
    const notes = moreExists(visible as Parameters<typeof moreExists>[0]);
    return { structuredContent: visible, content: [{ type: "text", text: [JSON.stringify(visible), ...notes].join("\n") }] };
  };
}
