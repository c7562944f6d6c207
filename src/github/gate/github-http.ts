import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { graphql } from "@octokit/graphql";
import { request } from "@octokit/request";
import { print } from "graphql";
import { isGatewayError } from "../../errors";
import { GitHubTransportError, type GitHubGraphQLError } from "../github-answer-errors";
import { UpstreamConnections, type UpstreamExchange } from "./upstream-connections";

export interface GitHubHttpOptions {
  /** REST base (GITHUB_API_URL); Octokit derives the GraphQL URL from it, GHES included. */
  apiUrl: string;
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

export interface RestAnswer<T> {
  data: T;
  headers: Headers;
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

/** Statuses whose Response may not carry a body (the Fetch standard's null body statuses). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * Why a complete HTTP answer cannot be used, or undefined when it can. A body that says it is JSON must parse;
 * so must any 2xx body, since GitHub answers every call the gateway makes with JSON. An error status with a
 * body of another kind (a proxy's HTML 502) keeps its status, which says more than its body.
 */
function unreadableBody(status: number, headers: Headers, body: Buffer): string | undefined {
  if (NULL_BODY_STATUS.has(status)) return undefined;
  const json = /[/+]json\b/i.test(headers.get("content-type") ?? "");
  if (!json && (status < 200 || status > 299)) return undefined;
  try {
    JSON.parse(body.toString("utf8"));
    return undefined;
  } catch {
    return `GitHub's answer (HTTP ${status}, ${body.byteLength} bytes) is not JSON`;
  }
}

/**
 * The complete answer as Octokit's fetch-wrapper reads a fetch Response: `status`, `statusText`, `url`, the
 * `headers` (iterated, and `get`), and the body through `text()` or `arrayBuffer()`. A web Response built on the
 * buffer would make Octokit read it back through WHATWG streams: 40-65 us of CPU per call where this takes 20
 * (and at one client, its calls 30 ms apart, about 0.5 ms against 0.27), for a body already whole in memory.
 */
function wholeAnswer(res: UpstreamExchange): Response {
  const empty = NULL_BODY_STATUS.has(res.status);
  const text = () => Promise.resolve(empty ? "" : res.body.toString("utf8"));
  const answer = {
    status: res.status,
    statusText: res.statusText,
    ok: res.status >= 200 && res.status <= 299,
    url: res.url,
    headers: res.headers,
    redirected: false,
    type: "basic",
    body: null,
    bodyUsed: false,
    text,
    json: async () => JSON.parse(await text()) as unknown,
    arrayBuffer: () => Promise.resolve(empty ? new ArrayBuffer(0) : new Uint8Array(res.body).buffer),
  };
  return answer as unknown as Response;
}

/**
 * One HTTP exchange with GitHub, with a key: nothing here waits, retries or decides (github-gate.ts does,
 * and is the only caller). Octokit returns only `data`, so a wrapped fetch keeps the response headers
 * (scopes, expiry, rate limits). The key goes into the Authorization header and nowhere else.
 */
export class GitHubHttp {
  private readonly connections = new UpstreamConnections();

  constructor(private readonly options: GitHubHttpOptions) {}

  /** Closes the idle connections to GitHub (at shutdown). */
  close(): void {
    this.connections.close();
  }

  /** A REST GET (GitHub's code search and the key's repositories have no GraphQL form). */
  async rest<T>(key: string, route: string, params: Record<string, string | number>, accept: string, timeoutMs: number, beforeSend?: () => void): Promise<RestAnswer<T>> {
    const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
    let headers = new Headers();
    const capturingFetch = this.capturingFetch("rest", timeout, (h) => (headers = h), beforeSend);
    try {
      const res = await request(`GET ${route}`, {
        ...params,
        baseUrl: this.options.apiUrl,
        headers: { authorization: `token ${key}`, "user-agent": "connector-gateway", accept },
        request: { fetch: capturingFetch },
      });
      return { data: res.data as T, headers };
    } catch (e) {
      // Octokit wraps fetch failures in a RequestError; unwrap ours so the cause stays precise.
      const cause = (e as { cause?: unknown }).cause;
      throw cause instanceof GitHubTransportError || isGatewayError(cause) ? cause : e;
    }
  }

  /**
   * Every upstream HTTP call. The body is read whole here, before Octokit sees it: Octokit reads a body that
   * breaks off or does not parse as "" or as text and hands that on as the answer, which came out as a missing
   * issue, a repository that "does not exist" or a TypeError. Such a body is a transport failure instead
   * (retried like a connection reset, for queries only), and Octokit gets the complete answer (wholeAnswer).
   */
  private capturingFetch(api: "graphql" | "rest", timeout: AbortSignal, keep: (headers: Headers) => void, beforeSend?: () => void): typeof fetch {
    return async (input, init) => {
      // The key's last check (UsableKey.stillCurrent): nothing runs between it and the socket write.
      beforeSend?.();
      let res: UpstreamExchange;
      try {
        // Octokit hands a URL string, a method, a JSON string body and plain headers.
        res = await this.connections.send(String(input), {
          method: init?.method ?? "GET",
          headers: init?.headers as Record<string, string>,
          body: init?.body as string | undefined,
          signal: timeout,
        });
      } catch (e) {
        const kind = timeout.aborted ? "timeout" : "network";
        this.options.onResponse?.(api, kind);
        throw new GitHubTransportError(kind, e);
      }
      const unreadable = unreadableBody(res.status, res.headers, res.body);
      if (unreadable) {
        this.options.onResponse?.(api, "network");
        throw new GitHubTransportError("network", new Error(unreadable));
      }
      this.options.onResponse?.(api, String(res.status));
      keep(res.headers);
      return wholeAnswer(res);
    };
  }

  /** Any GraphQL document: errors beside data come back to be routed by path; errors without data are thrown. */
  async graphql<T>(key: string, text: string, variables: Record<string, unknown>, timeoutMs: number, beforeSend?: () => void): Promise<GitHubAnswer<T>> {
    let headers = new Headers();
    const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
    const capturingFetch = this.capturingFetch("graphql", timeout, (h) => (headers = h), beforeSend);
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
      if (cause instanceof GitHubTransportError || isGatewayError(cause)) throw cause;
      // The body may still be arriving when the timer fires.
      if (timeout.aborted && !(e as { response?: unknown }).response) throw new GitHubTransportError("timeout", e);
      throw e;
    }
  }
}
