import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/**
 * Keys must never reach a log. Nothing logs a key on purpose; these paths catch the places one could
 * ride along by accident (request headers, GraphQL variables, mutation inputs).
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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: "connector-gateway" }, redact: { paths: redactPaths, censor: "[redacted]" } }, destination);
}
