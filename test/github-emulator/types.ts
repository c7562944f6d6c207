import type { EmulatorStore } from "./store";

export type KeyType = "classic" | "fine_grained";

export type PermissionName = "issues" | "pull_requests" | "contents" | "metadata";
export type PermissionLevel = "read" | "write";

export interface EmulatorKey {
  token: string;
  login: string;
  /** Defaults from the prefix: `github_pat_` is fine-grained, anything else (ghp_, gho_, ...) classic. */
  type?: KeyType;
  /** Classic keys only: sent as `X-OAuth-Scopes` ("repo, read:org"). */
  scopes?: string[];
  /** Sent as `GitHub-Authentication-Token-Expiration`; a key past its expiry answers 401 like GitHub. */
  expiresAt?: Date | null;
  name?: string;
  databaseId?: number;
  /**
   * "owner/name" of the repositories the key may use. Private repositories outside the list answer
   * NOT_FOUND like missing ones and drop out of search; public ones stay readable (GitHub gives every
   * key read access to public repositories) but a fine-grained key cannot write to them.
   */
  repositories?: string[];
  /** Fine-grained keys only. Omitted: every permission at write. Given: what is absent is not granted. */
  permissions?: Partial<Record<PermissionName, PermissionLevel>>;
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** Added before every answer. */
  latencyMs?: number;
  keys?: EmulatorKey[];
  /** Primary budget per user and resource (graphql, core), per hour. */
  rateLimitPerHour?: number;
  /** REST code search budget per user, per minute (GitHub: 10). */
  codeSearchPerMinute?: number;
}

export interface RecordedRequest {
  at: Date;
  method: string;
  /** Path without the query string, as sent (`/graphql`, `/api/graphql`, `/api/v3/user`). */
  path: string;
  token: string | null;
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** HTTP status of the answer; 0 while unanswered and for a dropped connection. */
  status: number;
  /** What GitHub would charge for the query (set once the query passed validation). */
  cost?: number;
  /** True for a GraphQL mutation (set once the document passed validation). */
  isMutation?: boolean;
  /** The kind of fault that answered this request, if any. */
  fault?: Fault["kind"];
}

interface FaultTarget {
  /** How many requests the fault answers; omitted means until `clearFaults()`. */
  times?: number;
  /** Only requests made with this key. */
  token?: string;
  /** Only GraphQL mutations (to fail a write without failing the look-ups before it). */
  onlyMutations?: boolean;
}

export type Fault =
  | ({ kind: "status"; status: number } & FaultTarget)
  | ({ kind: "delay"; ms: number } & FaultTarget)
  | ({ kind: "drop" } & FaultTarget)
  /** `errorType` defaults to the documented RATE_LIMITED; GitHub has also been seen sending RATE_LIMIT. */
  | ({ kind: "rateLimited"; errorType?: "RATE_LIMITED" | "RATE_LIMIT"; /** x-ratelimit-reset this many seconds ahead instead of the key's real window end. */ resetInSeconds?: number } & FaultTarget)
  | ({ kind: "secondaryRateLimit"; status?: 403 | 200 | 429; retryAfterSeconds?: number } & FaultTarget);

export interface RateLimitState {
  limit: number;
  used: number;
  remaining: number;
  resetAt: Date;
}

export type RateLimitResource = "graphql" | "core" | "code_search";

export interface GitHubEmulator {
  /** REST base, e.g. http://127.0.0.1:PORT (GraphQL at url + "/graphql"). */
  url: string;
  graphqlUrl: string;
  /** Every request, in arrival order, including rejected and faulted ones. */
  requests: RecordedRequest[];
  /** The in-memory data behind the resolvers; seed it with addRepository, addIssue, ... */
  store: EmulatorStore;
  clearRequests(): void;
  addKey(key: EmulatorKey): void;
  removeKey(token: string): void;
  fail(fault: Fault): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** The budget of the key's user (GitHub counts per user, so keys of one login share it). */
  rateLimitOf(token: string, resource?: RateLimitResource): RateLimitState;
  close(): Promise<void>;
}
