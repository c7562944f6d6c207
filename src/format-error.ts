import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ErrorCode, isGatewayError } from "./errors";
import { scrubText } from "./secrets/key-scrubber";

/** graphql-js repeats an invalid variable's value in its message; a key sent with the wrong type would come back. */
function withoutValues(message: string): string {
  const variable = /^Variable "(\$[^"]+)" got invalid value .*? at "([^"]+)";/s.exec(message);
  if (variable) return `Variable "${variable[1]}" got an invalid value at "${variable[2]}".`;
  const plain = /^Variable "(\$[^"]+)" got invalid value /s.exec(message);
  if (plain) return `Variable "${plain[1]}" got an invalid value.`;
  const argument = /^Argument "([^"]+)" has invalid value /s.exec(message);
  if (argument) return `Argument "${argument[1]}" has an invalid value.`;
  return message.replace(/(cannot represent a non[- ][\w ]+ value): .*$/s, "$1.");
}

const scrub = (message: string) => scrubText(withoutValues(message));

/** Apollo's own codes that the contract folds into BAD_USER_INPUT. */
const CALLER_MISTAKES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST", "OPERATION_RESOLUTION_FAILURE", "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_SUPPORTED"]);

/**
 * getArgumentValues' words (graphql-js 16) when it refuses an argument, or a directive's, while
 * executing. Validation lets a nullable variable with a default feed a non-null argument, so an
 * explicit null for it (`{"o": null}`) is refused only here, and Apollo, finding no code, calls it
 * INTERNAL_SERVER_ERROR.
 */
const ARGUMENT_COERCION =
  /^Argument "\w+" (?:of (?:non-null|required) type "[^"]+" (?:must not be null|was not provided|was provided the variable "\$\w+" which was not provided a runtime value)|has invalid value .*)\.$/s;

/**
 * The caller's bad argument value, as graphql-js itself reports it: a GraphQLError raised on a node of
 * the document, with no cause, path or code of its own (the field's path is on the error wrapping it).
 * A resolver's error has a cause, and ours are GatewayErrors, so the same words from anything else
 * stay unexpected.
 */
function isArgumentCoercionError(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    error.originalError === undefined &&
    error.path === undefined &&
    (error.nodes?.length ?? 0) > 0 &&
    error.extensions.code === undefined &&
    ARGUMENT_COERCION.test(error.message)
  );
}

/** The GatewayError behind an error, however Apollo wrapped it (a validation rule's report becomes a ValidationError). */
function gatewayErrorIn(error: unknown): unknown {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { originalError?: unknown }).originalError, depth++) {
    if (isGatewayError(e)) return e;
  }
  return error;
}

/**
 * The error to log in full when `error` is one the caller cannot have caused (a bug, the database
 * down): an INTERNAL_SERVER_ERROR of ours or anything that is neither ours nor Apollo's; else undefined.
 */
export function unexpectedErrorOf(error: unknown): unknown {
  const original = gatewayErrorIn(unwrapResolverError(error));
  if (isGatewayError(original)) return original.code === ErrorCode.INTERNAL_SERVER_ERROR ? (original.originalError ?? original) : undefined;
  if (isArgumentCoercionError(original)) return undefined;
  const code = String((error as { extensions?: { code?: unknown } }).extensions?.code ?? "");
  return code === "UNAUTHORIZED" || CALLER_MISTAKES.has(code) ? undefined : original;
}

/**
 * The one place errors leave the gateway: every code is one of the contract's, no stack traces, and
 * an unexpected error is answered with a generic message (and logged by the request's logger, in
 * request-log.plugin.ts, with its request id).
 */
export function createErrorFormatter() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = gatewayErrorIn(unwrapResolverError(error));
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    if (isGatewayError(original)) {
      const { http: _http, ...rest } = original.extensions;
      return { ...formatted, message: scrub(original.message), extensions: { ...extensions, ...rest, code: original.code } };
    }
    const code = String(extensions.code ?? "");
    const tokens = code === "GRAPHQL_PARSE_FAILED" && /Document contains more th(?:an|at) (\d+) tokens/.exec(formatted.message);
    if (tokens) return { message: `The query has more than ${tokens[1]} tokens.`, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: "tokens", max: Number(tokens[1]) } };
    if (code === "UNAUTHORIZED") return { ...formatted, extensions: { ...extensions, code: ErrorCode.FORBIDDEN } };
    if (CALLER_MISTAKES.has(code)) {
      return { ...formatted, message: scrub(formatted.message), extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT, reason: code } };
    }
    // Apollo's code for the same graphql-js coercion when it happens to variables before execution.
    if (isArgumentCoercionError(original)) {
      return { ...formatted, message: scrub(formatted.message), extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT, reason: "BAD_USER_INPUT" } };
    }
    return { message: "Internal server error.", locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
