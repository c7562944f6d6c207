import pino, { type DestinationStream, type Logger } from "pino";
import { scrubKeys } from "./secrets/key-scrubber";

export type { Logger } from "pino";

/**
 * Keys must never reach a log. Nothing logs a key on purpose; these paths catch the places one could
 * ride along by accident (request headers, GraphQL variables, mutation inputs), and every value is
 * scrubbed of anything shaped like a GitHub key on its way out.
 */
const redactPaths = [
  "req.headers.authorization",
  "headers.authorization",
  "authorization",
  "token",
  "*.token",
  "variables.input.token",
  "*.variables.input.token",
  "input.token",
];

/** JSON lines, keys redacted by path and by shape. Request loggers are children with the request id (server.ts). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "connector-gateway" },
      redact: { paths: redactPaths, censor: "[redacted]" },
      formatters: { log: (object) => scrubKeys(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? (scrubKeys(a) as string) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
