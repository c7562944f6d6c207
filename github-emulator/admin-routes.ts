import type { EmulatorResponse } from "./responses";
import type { RateLimitResource, RateLimitState, RecordedRequest } from "./types";

// Routes for another process (the benchmark) to read the emulator's accounting, under a prefix
// GitHub never serves. They are not recorded, cost nothing and skip the configured latency.

export const ADMIN_PREFIX = "/_emulator/";

/** What the admin routes read and reset. */
export interface AdminTarget {
  requests: RecordedRequest[];
  clearRequests(): void;
  rateLimitOf(token: string, resource?: RateLimitResource): RateLimitState;
  peakInFlight(token: string): number;
  resetPeakInFlight(): void;
}

/** One recorded request as the admin routes show it (no key, no document). */
export interface RecordedRequestView {
  index: number;
  at: string;
  method: string;
  path: string;
  status: number;
  cost: number | null;
  isMutation: boolean;
  operationName: string | null;
  fault: string | null;
}

/** `GET /_emulator/requests?since=N&limit=M`: the requests from index N (0 after a reset). */
export interface RequestsReport {
  /** Requests recorded since the last reset; pass it as `since` next time to read only newer ones. */
  total: number;
  since: number;
  /** Requests at index >= since. */
  count: number;
  /** Sum of `cost` over them: the points GitHub would charge. */
  points: number;
  byStatus: Record<string, number>;
  /** Still unanswered (status 0 without a fault). */
  pending: number;
  /** The first `limit` of them (default 1,000). */
  requests: RecordedRequestView[];
}

const json = (status: number, body: unknown): EmulatorResponse => ({ status, headers: { "content-type": "application/json; charset=utf-8" }, body });
const RESOURCES: readonly RateLimitResource[] = ["graphql", "core", "code_search"];

function nonNegative(text: string | null, fallback: number): number | undefined {
  if (text === null || text === "") return fallback;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

function view(r: RecordedRequest, index: number): RecordedRequestView {
  return {
    index, at: r.at.toISOString(), method: r.method, path: r.path, status: r.status, cost: r.cost ?? null,
    isMutation: r.isMutation ?? false, operationName: r.operationName ?? null, fault: r.fault ?? null,
  };
}

function requestsReport(target: AdminTarget, search: URLSearchParams): EmulatorResponse {
  const since = nonNegative(search.get("since"), 0);
  const limit = nonNegative(search.get("limit"), 1000);
  if (since === undefined || limit === undefined) return json(422, { message: "since and limit must be non-negative integers" });
  const chosen = target.requests.slice(since);
  const byStatus: Record<string, number> = {};
  let points = 0;
  let pending = 0;
  for (const r of chosen) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    points += r.cost ?? 0;
    // A delayed answer is still pending; a dropped connection will never be answered.
    if (r.status === 0 && r.fault !== "drop") pending += 1;
  }
  const report: RequestsReport = {
    total: target.requests.length, since, count: chosen.length, points, byStatus, pending,
    requests: chosen.slice(0, limit).map((r, i) => view(r, since + i)),
  };
  return json(200, report);
}

function rateLimit(target: AdminTarget, search: URLSearchParams): EmulatorResponse {
  const token = search.get("token");
  const resource = (search.get("resource") ?? "graphql") as RateLimitResource;
  if (!token) return json(422, { message: "token is required" });
  if (!RESOURCES.includes(resource)) return json(422, { message: `resource must be one of ${RESOURCES.join(", ")}` });
  try {
    const state = target.rateLimitOf(token, resource);
    return json(200, { resource, limit: state.limit, used: state.used, remaining: state.remaining, resetAt: state.resetAt.toISOString() });
  } catch {
    return json(404, { message: "unknown key" });
  }
}

/** Answers an admin route, or undefined when `path` is not one (then it is GitHub's). */
export function handleAdmin(target: AdminTarget, method: string, path: string, search: URLSearchParams): EmulatorResponse | undefined {
  if (!path.startsWith(ADMIN_PREFIX)) return undefined;
  const route = `${method} ${path.slice(ADMIN_PREFIX.length - 1)}`;
  switch (route) {
    case "GET /requests":
      return requestsReport(target, search);
    case "GET /rate-limit":
      return rateLimit(target, search);
    case "GET /peak-in-flight": {
      const token = search.get("token");
      if (!token) return json(422, { message: "token is required" });
      try {
        return json(200, { peak: target.peakInFlight(token) });
      } catch {
        return json(404, { message: "unknown key" });
      }
    }
    case "POST /reset-peak-in-flight":
      target.resetPeakInFlight();
      return json(200, {});
    case "POST /reset-requests": {
      const cleared = target.requests.length;
      target.clearRequests();
      return json(200, { cleared });
    }
    default:
      return json(404, { message: `no emulator admin route ${route}` });
  }
}
