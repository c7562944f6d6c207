import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { graphql } from "@octokit/graphql";
import { request } from "@octokit/request";
import { print } from "graphql";
import { GitHubAnswerErrors, GitHubTransportError, type GitHubGraphQLError } from "./github-failures";
import { retryDelayMs, sleep } from "./retry-policy";

export { GitHubTransportError } from "./github-failures";

export interface GitHubClientOptions {
  /** REST base (GITHUB_API_URL); Octokit derives the GraphQL URL from it, GHES included. */
  apiUrl: string;
  /** The whole time one call may take, retries included. */
  timeoutMs: number;
  /** Told of every HTTP answer (its status) or failure (`timeout`, `network`), for metrics. */
  onResponse?: (api: "graphql" | "rest", status: string) => void;
}

export interface GitHubAnswer<T> {
  /** Null only when GitHub answered errors and no data at all. */
  data: T;
  /** Errors beside the data (a batch answers partly: a missing alias is an error at its path). */
  errors: GitHubGraphQLError[];
  headers: Headers;
}

export interface CallOptions {
  /** A mutation: never retried. */
  mutation?: boolean;
  /** Less time than GITHUB_TIMEOUT_MS, when the caller's request has less left. */
  timeoutMs?: number;
}

interface PartialAnswer {
  name: string;
  data?: unknown;
  errors?: GitHubGraphQLError[];
  headers?: Record<string, string>;
}

/** Documents are generated (schema/github/*.graphql); each is printed to text once. */
const printed = new WeakMap<object, string>();
export function textOf(document: TypedDocumentNode<unknown, never>): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}

const MIN_ATTEMPT_MS = 250;

/**
 * Upstream GraphQL calls with a tenant's key. Octokit returns only `data`, so a wrapped fetch keeps the
 * response headers (scopes, expiry, rate limits). The key goes into the Authorization header and
 * nowhere else. Queries are retried on 5xx, dropped connections and secondary limits while the
 * call's time allows; mutations never are (GitHub may have applied one that did not answer).
 */
export class GitHubClient {
  constructor(private readonly options: GitHubClientOptions) {}

  /** A generated document; any GraphQL error is thrown (for look-ups that must succeed whole). */
  async query<T, V extends Record<string, unknown>>(key: string, document: TypedDocumentNode<T, V>, variables?: V): Promise<GitHubAnswer<T>> {
    const answer = await this.send<T>(key, textOf(document as TypedDocumentNode<unknown, never>), variables ?? {});
    if (answer.errors.length > 0) throw new GitHubAnswerErrors(answer.errors, Object.fromEntries(answer.headers));
    return answer;
  }

  /** Any document; errors beside data come back to be routed by path, errors without data are thrown. */
  async send<T>(key: string, text: string, variables: Record<string, unknown>, options: CallOptions = {}): Promise<GitHubAnswer<T>> {
    const deadline = Date.now() + Math.min(this.options.timeoutMs, options.timeoutMs ?? Infinity);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt<T>(key, text, variables, deadline - Date.now());
      } catch (e) {
        const wait = options.mutation ? undefined : retryDelayMs(e, attempt);
        if (wait === undefined || Date.now() + wait + MIN_ATTEMPT_MS > deadline) throw e;
        await sleep(wait);
      }
    }
  }

  /** A REST GET (GitHub's code search has no GraphQL form), retried like a query. */
  async rest<T>(key: string, route: string, params: Record<string, string | number>, accept: string, options: CallOptions = {}): Promise<{ data: T; headers: Headers }> {
    const deadline = Date.now() + Math.min(this.options.timeoutMs, options.timeoutMs ?? Infinity);
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
      let headers = new Headers();
      const capturingFetch = this.capturingFetch("rest", timeout, (h) => (headers = h));
      try {
        const res = await request(`GET ${route}`, {
          ...params,
          baseUrl: this.options.apiUrl,
          headers: { authorization: `token ${key}`, "user-agent": "connector-gateway", accept },
          request: { fetch: capturingFetch },
        });
        return { data: res.data as T, headers };
      } catch (e) {
        const cause = (e as { cause?: unknown }).cause;
        const error = cause instanceof GitHubTransportError ? cause : e;
        const wait = retryDelayMs(error, attempt);
        if (wait === undefined || Date.now() + wait + MIN_ATTEMPT_MS > deadline) throw error;
        await sleep(wait);
      }
    }
  }

  private capturingFetch(api: "graphql" | "rest", timeout: AbortSignal, keep: (headers: Headers) => void): typeof fetch {
    return async (input, init) => {
      try {
        const res = await fetch(input, { ...init, signal: timeout });
        this.options.onResponse?.(api, String(res.status));
        keep(res.headers);
        return res;
      } catch (e) {
        const kind = timeout.aborted ? "timeout" : "network";
        this.options.onResponse?.(api, kind);
        throw new GitHubTransportError(kind, e);
      }
    };
  }

  private async attempt<T>(key: string, text: string, variables: Record<string, unknown>, timeoutMs: number): Promise<GitHubAnswer<T>> {
    let headers = new Headers();
    const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
    const capturingFetch = this.capturingFetch("graphql", timeout, (h) => (headers = h));
    try {
      const data = await graphql<T>(text, {
        ...variables,
        baseUrl: this.options.apiUrl,
        headers: { authorization: `token ${key}`, "user-agent": "connector-gateway" },
        request: { fetch: capturingFetch },
      });
      return { data, errors: [], headers };
    } catch (e) {
      const partial = e as PartialAnswer;
      // Data beside errors is a partial answer, unless GitHub refused the whole document (rate limit).
      if (partial.name === "GraphqlResponseError" && partial.data && !(partial.errors ?? []).some((x) => /^RATE_LIMIT/.test(x.type ?? ""))) {
        return { data: partial.data as T, errors: partial.errors ?? [], headers };
      }
      // Octokit wraps fetch failures in a RequestError; unwrap ours so the cause stays precise.
      const cause = (e as { cause?: unknown }).cause;
      if (cause instanceof GitHubTransportError) throw cause;
      // The body may still be arriving when the timer fires.
      if (timeout.aborted && !(e as { response?: unknown }).response) throw new GitHubTransportError("timeout", e);
      throw e;
    }
  }
}
