import { GitHubTransportError } from "./github-failures";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const MAX_RETRIES = 2;

interface HttpErrorLike {
  name: string;
  status?: number;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

/**
 * How long to wait before trying a query again, or undefined to give up at once: 5xx and dropped or
 * refused connections back off (100 ms, 300 ms); a secondary rate limit waits out its `retry-after`
 * once. A timeout, a primary rate limit and every 4xx are final.
 */
export function retryDelayMs(e: unknown, attempt: number): number | undefined {
  if (e instanceof GitHubTransportError) return e.reason === "network" && attempt < MAX_RETRIES ? 100 * 3 ** attempt : undefined;
  const err = e as HttpErrorLike;
  if (err.name !== "HttpError" || typeof err.status !== "number") return undefined;
  if (err.status >= 500 && attempt < MAX_RETRIES) return 100 * 3 ** attempt;
  const retryAfter = Number(err.response?.headers?.["retry-after"]);
  if ((err.status === 403 || err.status === 429) && Number.isFinite(retryAfter) && retryAfter > 0 && attempt === 0) return retryAfter * 1000;
  return undefined;
}
