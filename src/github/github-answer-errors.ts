// What GitHub's answers and the way to them fail with, as GitHub words it, before to-gateway-error.ts maps
// it to the contract's codes.

/**
 * Transport failures (refused, reset, timed out) before GitHub's answer arrived whole: an answer cut off
 * mid-body or whose body is not JSON counts as one ("network"), since nothing usable arrived.
 */
export class GitHubTransportError extends Error {
  constructor(readonly reason: "timeout" | "network", cause: unknown) {
    super(reason === "timeout" ? "GitHub did not answer in time" : "GitHub could not be reached", { cause });
    this.name = "GitHubTransportError";
  }
}

export interface GitHubGraphQLError {
  type?: string;
  message: string;
  path?: (string | number)[];
  /** `saml_failure: true` marks a refusal by an organization's SAML SSO. */
  extensions?: Record<string, unknown>;
}

/** The value at a response path (aliases and list indexes), or undefined. */
export function dig(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const key of path) value = value && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
  return value;
}

/**
 * A field the key may not read, refused at the field while its parent object came back: GitHub answers the
 * rest of the data beside it ("Permissions are per field, and partial", github-api-notes.md; a team review
 * request without `read:org` or Members). Such an answer is partial data to use, not a failure.
 */
export function isFieldRefusal(error: GitHubGraphQLError, data: unknown): boolean {
  if (error.type !== "FORBIDDEN" || !error.path || error.path.length < 2) return false;
  const parent = dig(data, error.path.slice(0, -1));
  return parent !== null && typeof parent === "object";
}

/** GraphQL errors on a document that had to succeed whole; shaped like Octokit's GraphqlResponseError. */
export class GitHubAnswerErrors extends Error {
  override readonly name = "GraphqlResponseError";
  constructor(
    readonly errors: GitHubGraphQLError[],
    readonly headers: Record<string, string>,
  ) {
    super(`GitHub answered ${errors.length} error(s)`);
  }
}
