import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequestFields } from "./observability/request-scope";
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

/** JSON lines: a request id on every line written while serving a request, keys redacted by path and by shape. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "connector-gateway" },
      redact: { paths: redactPaths, censor: "[redacted]" },
      mixin: currentRequestFields,
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
