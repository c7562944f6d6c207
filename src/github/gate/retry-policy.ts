import { GitHubTransportError } from "../github-answer-errors";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const MAX_RETRIES = 2;

interface HttpErrorLike {
  name: string;
  status?: number;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  /** Octokit's GraphqlResponseError (an HTTP 200 with errors) keeps the response headers here. */
  headers?: Record<string, string | undefined>;
}

/**
 * How long to wait before trying a query again, or undefined to give up at once: 5xx and dropped or
 * refused connections back off (100 ms, 300 ms); a secondary rate limit (403, 429 or a 200 with
 * errors) waits out its `retry-after` once. A timeout, a primary rate limit and every 4xx are final.
 */
export function retryDelayMs(e: unknown, attempt: number): number | undefined {
  if (e instanceof GitHubTransportError) return e.reason === "network" && attempt < MAX_RETRIES ? 100 * 3 ** attempt : undefined;
  const err = e as HttpErrorLike;
  // A secondary limit can come as an HTTP 200 with errors; its retry-after is waited out like a 403's.
  // (A primary limit in a 200 has no retry-after, only a reset time: final.)
  if (err.name === "GraphqlResponseError") return attempt === 0 ? retryAfterMs(err.headers) : undefined;
  if (err.name !== "HttpError" || typeof err.status !== "number") return undefined;
  if (err.status >= 500 && attempt < MAX_RETRIES) return 100 * 3 ** attempt;
  if ((err.status === 403 || err.status === 429) && attempt === 0) return retryAfterMs(err.response?.headers);
  return undefined;
}

/** GitHub's `retry-after` in seconds, when it sent a usable one. */
export function retryAfterSeconds(headers: Record<string, string | number | undefined> | undefined): number | undefined {
  const seconds = Number(headers?.["retry-after"]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

function retryAfterMs(headers: Record<string, string | undefined> | undefined): number | undefined {
  const seconds = retryAfterSeconds(headers);
  return seconds === undefined ? undefined : seconds * 1000;
}
