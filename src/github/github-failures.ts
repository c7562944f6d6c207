/** Transport failures (refused, reset, timed out) before GitHub answered anything. */
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
