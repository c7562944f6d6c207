import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { graphql } from "@octokit/graphql";
import { print } from "graphql";

export interface GitHubClientOptions {
  /** REST base (GITHUB_API_URL); Octokit derives the GraphQL URL from it, GHES included. */
  apiUrl: string;
  timeoutMs: number;
}

export interface GitHubResponse<T> {
  data: T;
  headers: Headers;
}

/** Transport failures (refused, reset, timed out) before GitHub answered anything. */
export class GitHubTransportError extends Error {
  constructor(readonly reason: "timeout" | "network", cause: unknown) {
    super(reason === "timeout" ? "GitHub did not answer in time" : "GitHub could not be reached", { cause });
    this.name = "GitHubTransportError";
  }
}

/** Documents are generated (schema/github/*.graphql); each is printed to text once. */
const printed = new WeakMap<object, string>();
function textOf(document: TypedDocumentNode<unknown, never>): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}

/**
 * One upstream GraphQL call with a tenant's key. Octokit returns only `data`, so a wrapped fetch keeps
 * the response headers (scopes, expiry, rate limits) for the caller. The key goes into the
 * Authorization header and nowhere else.
 */
export class GitHubClient {
  constructor(private readonly options: GitHubClientOptions) {}

  async query<T, V extends Record<string, unknown>>(key: string, document: TypedDocumentNode<T, V>, variables?: V): Promise<GitHubResponse<T>> {
    let headers = new Headers();
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const capturingFetch: typeof fetch = async (input, init) => {
      try {
        const res = await fetch(input, { ...init, signal: timeout });
        headers = res.headers;
        return res;
      } catch (e) {
        throw new GitHubTransportError(timeout.aborted ? "timeout" : "network", e);
      }
    };
    try {
      const data = await graphql<T>(textOf(document as TypedDocumentNode<unknown, never>), {
        ...variables,
        baseUrl: this.options.apiUrl,
        headers: { authorization: `token ${key}`, "user-agent": "connector-gateway" },
        request: { fetch: capturingFetch },
      });
      return { data, headers };
    } catch (e) {
      // Octokit wraps fetch failures in a RequestError; unwrap ours so the cause stays precise.
      const cause = (e as { cause?: unknown }).cause;
      if (cause instanceof GitHubTransportError) throw cause;
      // The body may still be arriving when the timer fires.
      if (timeout.aborted && !(e as { response?: unknown }).response) throw new GitHubTransportError("timeout", e);
      throw e;
    }
  }
}
