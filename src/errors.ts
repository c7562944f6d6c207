import { GraphQLError } from "graphql";

/** Every error code the gateway answers with (README.md, The API). */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  INTEGRATION_NOT_CONNECTED: "INTEGRATION_NOT_CONNECTED",
  INTEGRATION_INACTIVE: "INTEGRATION_INACTIVE",
  INTEGRATION_ALREADY_CONNECTED: "INTEGRATION_ALREADY_CONNECTED",
  CONFLICT: "CONFLICT",
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  GATEWAY_RATE_LIMITED: "GATEWAY_RATE_LIMITED",
  GITHUB_TOKEN_REJECTED: "GITHUB_TOKEN_REJECTED",
  GITHUB_PERMISSION_DENIED: "GITHUB_PERMISSION_DENIED",
  GITHUB_NOT_FOUND: "GITHUB_NOT_FOUND",
  GITHUB_RATE_LIMITED: "GITHUB_RATE_LIMITED",
  GITHUB_UNAVAILABLE: "GITHUB_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status for codes that must change the response status, not just the GraphQL error. */
const httpStatusOf: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, QUERY_TOO_COMPLEX: 400, GATEWAY_RATE_LIMITED: 429 };

export interface GatewayErrorExtras {
  /** Seconds to wait before retrying (GITHUB_RATE_LIMITED, GATEWAY_RATE_LIMITED). */
  retryAfter?: number;
  /** When GitHub's budget resets (GITHUB_RATE_LIMITED). */
  resetAt?: string;
  /** Which input field was wrong (BAD_USER_INPUT). */
  field?: string;
  /** What GitHub said a key lacks (GITHUB_PERMISSION_DENIED): a fine-grained permission, or a classic scope. */
  permission?: string;
  scope?: string;
  /** The organization whose SAML SSO has not authorised the key (GITHUB_PERMISSION_DENIED). */
  ssoOrganization?: string;
  /** GitHub's own kind of refusal, where it adds to the code: RESOURCE_LIMITS_EXCEEDED, CONTENT_CREATION. */
  reason?: string;
  /** Label names a repository does not have, and the nearest it has (BAD_USER_INPUT). */
  unknown?: string[];
  suggestions?: string[];
  /** Which limit a query went over, and the limit and what was found (QUERY_TOO_COMPLEX). */
  limit?: string;
  max?: number;
  found?: number;
}

/**
 * The one error type services throw. Its message is written for the caller and must never contain a
 * key; `cause` is kept for logs only and is never serialised to a response.
 */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extras: GatewayErrorExtras = {}, cause?: unknown) {
    const status = httpStatusOf[code];
    super(message, {
      extensions: { code, ...extras, ...(status ? { http: { status } } : {}) },
      originalError: cause instanceof Error ? cause : undefined,
    });
    this.name = "GatewayError";
    this.code = code;
  }
}

export const unauthenticated = (message = "A valid Bearer token is required.") =>
  new GatewayError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = "Only workspace admins can do this.") => new GatewayError(ErrorCode.FORBIDDEN, message);
export const badUserInput = (message: string, field?: string) =>
  new GatewayError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const conflict = (message = "The integration was changed by another request at the same time; read it again and retry.") =>
  new GatewayError(ErrorCode.CONFLICT, message);

/**
 * The caller's document refused whole before it runs (its variables or arguments cannot be coerced), as
 * graphql-js's own variable errors are: HTTP 400. Thrown by a plugin before execution, a BAD_USER_INPUT
 * without a status would be answered 500 by Apollo.
 */
export const documentRefused = (message: string) => {
  const error = new GatewayError(ErrorCode.BAD_USER_INPUT, message);
  error.extensions.http = { status: 400 };
  return error;
};

export const queryTooComplex = (message: string, detail: { limit: string; max?: number; found?: number }) =>
  new GatewayError(ErrorCode.QUERY_TOO_COMPLEX, message, detail);

export function isGatewayError(e: unknown): e is GatewayError {
  return e instanceof GatewayError;
}
