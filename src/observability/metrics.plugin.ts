import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context";
import type { GatewayMetrics } from "./metrics";
import { responseCodesOf } from "./response-codes";

/** Each GraphQL request's latency, by operation and outcome. */
export function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const stop = metrics.requestDuration.startTimer();
      return {
        async willSendResponse(requestContext) {
          const [code] = responseCodesOf(requestContext);
          stop({ operation: metrics.operationLabel(requestContext.operationName), outcome: code ?? "ok" });
        },
      };
    },
  };
}
