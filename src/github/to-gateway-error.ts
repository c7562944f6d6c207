// GitHub's failures (HTTP statuses, GraphQL errors beside data, transport errors from github-answer-errors.ts)
// in the contract's codes: the one place an upstream failure becomes what a caller reads.
import { ErrorCode, GatewayError } from "../errors";
import { retryAfterSeconds } from "./gate/retry-policy";
import { GitHubTransportError, type GitHubGraphQLError } from "./github-answer-errors";

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

/** GitHub's rule for a secondary limit without `retry-after` while budget remains: wait at least a minute. */
const SECONDARY_WAIT_S = 60;

/**
 * How long a rate-limited key waits, as GitHub's docs order it: its `retry-after` when sent; else, when the
 * primary budget is spent (remaining 0), until `x-ratelimit-reset`; else at least a minute. (Waiting until
 * the reset when budget remains would rest a key up to an hour for a secondary limit.)
 */
function rateLimitExtras(headers: Record<string, string | number | undefined>) {
  const reset = Number(headers["x-ratelimit-reset"]);
  const resetAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
  const spent = String(headers["x-ratelimit-remaining"]) === "0";
  const untilReset = resetAt && spent ? Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000)) : undefined;
  return { retryAfter: retryAfterSeconds(headers) ?? untilReset ?? SECONDARY_WAIT_S, resetAt: resetAt?.toISOString() };
}

/** The organization named in `X-GitHub-SSO: required; url=https://github.com/orgs/ORG/sso?...`. */
function ssoOrganizationOf(headers: Record<string, string | number | undefined>): string | undefined {
  return /\/orgs\/([A-Za-z0-9-]{1,39})\/sso/.exec(String(headers["x-github-sso"] ?? ""))?.[1];
}

function ssoRefusal(headers: Record<string, string | number | undefined>): GatewayError {
  const org = ssoOrganizationOf(headers);
  return new GatewayError(
    ErrorCode.GITHUB_PERMISSION_DENIED,
    `${org ? `The organization ${org}` : "An organization"} enforces SAML single sign-on and the key is not authorised for it: its owner authorises it on GitHub (Settings, Developer settings, Personal access tokens, Configure SSO).`,
    org ? { ssoOrganization: org } : {},
  );
}

/** "...requires one of the following scopes: ['read:org', 'write:org'], but your token ..." → read:org. */
function missingScopeOf(message: string): string | undefined {
  return /requires one of the following scopes: \[([^\]]*)\]/.exec(message)?.[1].split(",")[0]?.trim().replace(/^'|'$/g, "");
}

/** GitHub could not find it, or will not say it exists to this key (a repository not granted reads the same). */
export const NOT_FOUND_OR_NOT_GRANTED = "not found, or not granted to this key";

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
  // Content created too fast (cli/cli#4801): a secondary limit on creating, which GitHub says to wait out a minute or more.
  if (type === "UNPROCESSABLE" && /submitted too quickly/i.test(error.message)) {
    return new GatewayError(ErrorCode.GITHUB_RATE_LIMITED, "GitHub refused to create more content with this key for now (its content-creation limit); try again in a minute.", {
      retryAfter: SECONDARY_WAIT_S,
      reason: "CONTENT_CREATION",
    });
  }
  if (type === "NOT_FOUND") return new GatewayError(ErrorCode.GITHUB_NOT_FOUND, `GitHub: ${NOT_FOUND_OR_NOT_GRANTED} (${shortReason(error.message)})`);
  if (type === "INSUFFICIENT_SCOPES") {
    const scope = missingScopeOf(error.message);
    return new GatewayError(ErrorCode.GITHUB_PERMISSION_DENIED, `The connected key lacks a scope GitHub asks for${scope ? `: ${scope}` : ""}.`, scope ? { scope } : {});
  }
  if (type === "FORBIDDEN" && error.extensions?.saml_failure === true) return ssoRefusal(headers);
  if (type === "RESOURCE_LIMITS_EXCEEDED") {
    return new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, "GitHub could not answer within its resource limits for one query; ask for fewer items.", { reason: type });
  }
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
      // Search names a repository or owner the key cannot see: GitHub does not tell missing from not granted.
      if (detail && /cannot be searched/i.test(detail)) return new GatewayError(ErrorCode.GITHUB_NOT_FOUND, `GitHub: the repository or owner to search is ${NOT_FOUND_OR_NOT_GRANTED}.`, {}, e);
      return new GatewayError(ErrorCode.BAD_USER_INPUT, `GitHub refused the request: ${shortReason(detail ?? (message || "validation failed"))}`, {}, e);
    }
    const limited = /rate limit/i.test(message) || headers["x-ratelimit-remaining"] === "0" || headers["retry-after"] !== undefined;
    if ((e.status === 403 || e.status === 429) && limited) {
      return new GatewayError(ErrorCode.GITHUB_RATE_LIMITED, "GitHub's rate limit for this key is spent.", rateLimitExtras(headers), e);
    }
    if (e.status === 403 && /^required/i.test(String(headers["x-github-sso"] ?? ""))) return ssoRefusal(headers);
    if (e.status === 403 || e.status === 404) {
      const permission = headers["x-accepted-github-permissions"];
      const notFound = e.status === 404 && !permission;
      return new GatewayError(
        notFound ? ErrorCode.GITHUB_NOT_FOUND : ErrorCode.GITHUB_PERMISSION_DENIED,
        permission ? `The connected key lacks a permission GitHub asks for: ${permission}.` : notFound ? `GitHub: ${NOT_FOUND_OR_NOT_GRANTED}.` : "GitHub refused access with the connected key.",
        permission ? { permission: String(permission) } : {},
        e,
      );
    }
    return new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, `GitHub answered HTTP ${e.status}.`, {}, e);
  }
  return new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, "GitHub could not be reached.", {}, e);
}
