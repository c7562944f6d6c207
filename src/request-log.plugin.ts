import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "./context";
import { unexpectedErrorOf } from "./format-error";
import { responseCodesOf } from "./observability/response-codes";

/**
 * One log line per GraphQL operation: who, which operation, how long, which error codes (the
 * contract's, as the caller got them). Never the
 * variables or the document text (a mutation's variables carry a key). An unexpected error is logged
 * in full here, where the request's logger (and its request id) is at hand; formatError has no context.
 */
export function requestLogPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, contextValue: ctx }) {
          for (const error of errors) {
            const unexpected = unexpectedErrorOf(error);
            if (unexpected) (ctx ?? contextValue).log.error({ err: unexpected, path: error.path }, "unexpected error");
          }
        },
        async willSendResponse(requestContext) {
          const { operationName, contextValue: ctx } = requestContext;
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const codes = responseCodesOf(requestContext);
          (ctx ?? contextValue).log.info({ operation: operationName ?? null, ms: Math.round(ms * 10) / 10, errors: codes.length ? codes : undefined, role: (ctx ?? contextValue).principal.role }, "graphql request");
        },
      };
    },
  };
}
