import type { GraphQLRequestContextWillSendResponse } from "@apollo/server";

/**
 * The error codes a response carries, as the caller sees them: the formatted errors hold the
 * contract's codes (QUERY_TOO_COMPLEX, BAD_USER_INPUT), the raw ones Apollo's (GRAPHQL_VALIDATION_FAILED).
 */
export function responseCodesOf({ response, errors }: GraphQLRequestContextWillSendResponse<object>): string[] {
  const sent = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
  return (sent ?? errors ?? []).map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
}
