import { STATUS_CODES } from "node:http";
import type { RegisteredKey } from "./key-registry";
import type { RateLimiter } from "./rate-limits";
import {
  GRAPHQL_DOCS, jsonHeaders, keyHeaders, rateLimitedMessage, rateLimitHeaders, REST_DOCS,
  SECONDARY_LIMIT_DOCS, secondaryLimitMessage, TIMEOUT_MESSAGE, type EmulatorResponse,
} from "./responses";
import type { Fault, RateLimitResource } from "./types";

interface Entry {
  fault: Fault;
  left: number;
}

/** Faults answer matching requests in the order they were added, each `times` times (or forever). */
export class FaultQueue {
  private entries: Entry[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? Number.POSITIVE_INFINITY;
    if (times <= 0) return;
    this.entries.push({ fault, left: times });
  }

  clear(): void {
    this.entries = [];
  }

  /** The first fault that applies to a request made with `token`, counting one use of it. */
  take(token: string | null, isMutation = false): Fault | undefined {
    const entry = this.entries.find((e) => (e.fault.token === undefined || e.fault.token === token) && (!e.fault.onlyMutations || isMutation));
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.entries = this.entries.filter((e) => e !== entry);
    return entry.fault;
  }
}

export interface FaultTarget {
  resource: RateLimitResource;
  key: RegisteredKey | undefined;
  requestId: string;
  limiter: RateLimiter;
}

/** Faults that let the request be answered for real and spoil the answer on the wire (server.ts sends it). */
export type SpoilingFault = Extract<Fault, { kind: "truncate" | "garbled" }>;

export const isSpoiling = (fault: Fault): fault is SpoilingFault => fault.kind === "truncate" || fault.kind === "garbled";

/**
 * What a spoiled answer's body holds, and the content-length it announces. `truncate` announces the whole
 * body and carries half of it (the sender then destroys the socket); `garbled` is complete but is half of the
 * JSON text, which never parses (a JSON text's first half lacks its closing bracket).
 */
export function spoiledBody(kind: SpoilingFault["kind"], text: string): { bytes: Buffer; contentLength: number } {
  const whole = Buffer.from(text, "utf8");
  if (kind === "truncate") return { bytes: whole.subarray(0, Math.floor(whole.length / 2)), contentLength: whole.length };
  const garbled = Buffer.from(text.slice(0, Math.floor(text.length / 2)) || "<", "utf8");
  return { bytes: garbled, contentLength: garbled.length };
}

/** The answer for a fault that answers by itself (every kind but delay, drop and the spoiling ones). */
export function faultResponse(fault: Exclude<Fault, { kind: "delay" } | { kind: "drop" } | SpoilingFault>, target: FaultTarget): EmulatorResponse {
  const { resource, key, requestId, limiter } = target;
  const media = resource === "graphql" ? "github.v4" : "github.v3";
  const docs = resource === "graphql" ? GRAPHQL_DOCS : REST_DOCS;
  const userId = key?.user.databaseId ?? 0;
  const budget = limiter.peek(userId, resource);
  const authHeaders = key ? keyHeaders(key) : {};
  switch (fault.kind) {
    case "status": {
      const timeout = fault.status === 502 || fault.status === 504;
      const message = timeout ? TIMEOUT_MESSAGE : (STATUS_CODES[fault.status] ?? "Error");
      const body = timeout ? { message, documentation_url: docs } : { message, documentation_url: docs, status: String(fault.status) };
      return { status: fault.status, headers: jsonHeaders(media), body };
    }
    case "rateLimited": {
      const resetAt = fault.resetInSeconds === undefined ? budget.resetAt : new Date(Date.now() + fault.resetInSeconds * 1000);
      const spent = { ...budget, used: budget.limit, remaining: 0, resetAt };
      const headers = { ...jsonHeaders(media), ...authHeaders, ...rateLimitHeaders(spent, resource) };
      const message = rateLimitedMessage(userId, 0);
      if (resource === "core") return { status: 403, headers, body: { message, documentation_url: docs, status: "403" } };
      return { status: 200, headers, body: { errors: [{ type: fault.errorType ?? "RATE_LIMITED", code: "graphql_rate_limit", message }] } };
    }
    case "secondaryRateLimit": {
      const status = fault.status ?? 403;
      const headers = {
        ...jsonHeaders(media), ...authHeaders, ...rateLimitHeaders(budget, resource),
        "retry-after": String(fault.retryAfterSeconds ?? 60),
      };
      const message = secondaryLimitMessage(requestId);
      const body = status === 200
        ? { errors: [{ message }] }
        : { message, documentation_url: SECONDARY_LIMIT_DOCS, status: String(status) };
      return { status, headers, body };
    }
  }
}
