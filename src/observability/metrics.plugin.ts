import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context";
import type { GatewayMetrics } from "./metrics";

/** Each GraphQL request's latency, by operation and outcome. */
export function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const stop = metrics.requestDuration.startTimer();
      return {
        async willSendResponse({ operationName, errors, response }) {
          const bodyErrors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
          // The formatted errors carry the contract's codes; the raw ones are Apollo's.
          const code = (bodyErrors ?? errors ?? [])[0]?.extensions?.code;
          stop({ operation: metrics.operationLabel(operationName), outcome: code ? String(code) : "ok" });
        },
      };
    },
  };
}
