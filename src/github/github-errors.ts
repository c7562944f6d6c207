import { ErrorCode, GatewayError } from "../errors";
import { retryAfterSeconds } from "./retry-policy";
import { GitHubTransportError, type GitHubGraphQLError } from "./github-failures";

interface OctokitRequestErrorLike {
  name: string;
  status: number;
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
}

interface GraphqlResponseErrorLike {
  name: "GraphqlResponseError";
  errors?: GitHubGraphQLError[];
  headers: Record<string, string | number | undefined>;
}

const isRequestError = (e: unknown): e is OctokitRequestErrorLike =>
  e instanceof Error && e.name === "HttpError" && typeof (e as { status?: unknown }).status === "number";
const isGraphqlResponseError = (e: unknown): e is GraphqlResponseErrorLike =>
  e instanceof Error && e.name === "GraphqlResponseError";

function rateLimitExtras(headers: Record<string, string | number | undefined>) {
  const reset = Number(headers["x-ratelimit-reset"]);
  const resetAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
  return {
    retryAfter: retryAfterSeconds(headers) ?? (resetAt ? Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000)) : 60),
    resetAt: resetAt?.toISOString(),
  };
}

function messageOf(data: unknown): string {
  const m = (data as { message?: unknown } | undefined)?.message;
  return typeof m === "string" ? m : "";
}

/** GitHub's reason echoes the caller's text (an owner name, say): without control or bidi characters, and short. */
function shortReason(message: string): string {
  const plain = message.replace(/[\p{Cc}\p{Cf}]/gu, "");
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

/** One GraphQL error (a whole answer's, or one alias's in a batch) as the contract's code. */
export function forGraphQLError(error: GitHubGraphQLError, headers: Record<string, string | number | undefined> = {}): GatewayError {
  const type = error.type ?? "";
  if (/^RATE_LIMIT/.test(type) || /secondary rate limit/i.test(error.message)) {
    return new GatewayError(ErrorCode.GITHUB_RATE_LIMITED, "GitHub's rate limit for this key is spent.", rateLimitExtras(headers));
  }
  if (type === "NOT_FOUND") return new GatewayError(ErrorCode.GITHUB_NOT_FOUND, `GitHub found no such object: ${shortReason(error.message)}`);
  if (type === "INVALID_CURSOR_ARGUMENTS" || /does not appear to be a valid cursor/.test(error.message)) {
    return new GatewayError(ErrorCode.BAD_USER_INPUT, "The `after` cursor is not one GitHub issued for this list; start again without it.", { field: "after" });
  }
  if (type === "FORBIDDEN") {
    const permission = headers["x-accepted-github-permissions"];
    return new GatewayError(
      ErrorCode.GITHUB_PERMISSION_DENIED,
      permission ? `The connected key lacks a permission GitHub asks for: ${permission}.` : "The connected key may not do this on GitHub.",
      permission ? { permission: String(permission) } : {},
    );
  }
  return new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, `GitHub refused the request${type ? ` (${type})` : ""}.`);
}

/**
 * Maps what GitHub (through Octokit) answered to the contract's codes. Messages are ours, never
 * GitHub's text verbatim beyond short reasons, and never carry the key.
 */
export function toGatewayError(e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  if (e instanceof GitHubTransportError) {
    return new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, `GitHub is unavailable: ${e.message}.`, {}, e);
  }
  if (isGraphqlResponseError(e)) {
    const errors = e.errors ?? [];
    const limited = errors.find((x) => /^RATE_LIMIT/.test(x.type ?? "") || /secondary rate limit/i.test(x.message));
    return forGraphQLError(limited ?? errors[0] ?? { message: "" }, e.headers);
  }
  if (isRequestError(e)) {
    const headers = e.response?.headers ?? {};
    const message = messageOf(e.response?.data);
    if (e.status === 401) return new GatewayError(ErrorCode.GITHUB_TOKEN_REJECTED, "GitHub rejected the key (Bad credentials).", {}, e);
    if (e.status === 422) {
      const detail = (e.response?.data as { errors?: { message?: string }[] } | undefined)?.errors?.[0]?.message;
      return new GatewayError(ErrorCode.BAD_USER_INPUT, `GitHub refused the request: ${detail ?? (message || "validation failed")}`, {}, e);
    }
    const limited = /rate limit/i.test(message) || headers["x-ratelimit-remaining"] === "0" || headers["retry-after"] !== undefined;
    if ((e.status === 403 || e.status === 429) && limited) {
      return new GatewayError(ErrorCode.GITHUB_RATE_LIMITED, "GitHub's rate limit for this key is spent.", rateLimitExtras(headers), e);
    }
    if (e.status === 403 || e.status === 404) {
      const permission = headers["x-accepted-github-permissions"];
      return new GatewayError(
        e.status === 404 && !permission ? ErrorCode.GITHUB_NOT_FOUND : ErrorCode.GITHUB_PERMISSION_DENIED,
        permission ? `The connected key lacks a permission GitHub asks for: ${permission}.` : "GitHub refused access with the connected key.",
        permission ? { permission: String(permission) } : {},
        e,
      );
    }
    return new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, `GitHub answered HTTP ${e.status}.`, {}, e);
  }
  return new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, "GitHub could not be reached.", {}, e);
}
