import type { SecondaryLimitRules } from "./secondary-limits";
import type { EmulatorStore } from "./store";

export type KeyType = "classic" | "fine_grained";

/**
 * Fine-grained permissions the emulator models: four repository permissions (the product guide's) and the
 * organization permission Members, which reading a team needs.
 */
export type PermissionName = "issues" | "pull_requests" | "contents" | "metadata" | "members";
export type PermissionLevel = "read" | "write";

export interface EmulatorKey {
  token: string;
  login: string;
  /** Defaults from the prefix: `github_pat_` is fine-grained, anything else (ghp_, gho_, ...) classic. */
  type?: KeyType;
  /**
   * Classic keys only: sent as `X-OAuth-Scopes` ("repo, read:org"). Without `repo` the key reads public
   * repositories only; without `read:org` it reads no team (a FORBIDDEN at the field) and no organization
   * field that needs the scope (INSUFFICIENT_SCOPES, the whole document refused).
   */
  scopes?: string[];
  /** Sent as `GitHub-Authentication-Token-Expiration`; a key past its expiry answers 401 like GitHub. */
  expiresAt?: Date | null;
  name?: string;
  databaseId?: number;
  /**
   * "owner/name" of the repositories the key may use (a fine-grained key's "only select repositories"; an
   * empty list is "public repositories"). Private repositories outside the list answer NOT_FOUND like
   * missing ones and drop out of lists and search; public ones stay readable (every key reads public
   * repositories) but a fine-grained key cannot write to them. Omitted: all of them.
   */
  repositories?: string[];
  /** Fine-grained keys only. Omitted: every permission at write. Given: what is absent is not granted. */
  permissions?: Partial<Record<PermissionName, PermissionLevel>>;
  /**
   * Fine-grained keys only: the one account whose private repositories the key can reach. Omitted: the
   * owner of the listed `repositories` when they share one, else the key's user.
   */
  resourceOwner?: string;
  /**
   * Fine-grained keys only: the resource owner is an organization that requires approval of fine-grained
   * keys and has not approved this one yet. Until then the key reads public resources only (its private
   * repositories answer NOT_FOUND) and may not write there.
   */
  pendingApproval?: boolean;
  /** Classic keys only: organizations enforcing SAML SSO (NewOrganization.samlSso) the key is authorised for. */
  ssoAuthorized?: string[];
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
  /** GitHub's secondary limits (secondary-limits.ts); lower them to reach them in a test. */
  secondaryLimits?: Partial<SecondaryLimitRules>;
  /** Objects one GraphQL document may resolve before RESOURCE_LIMITS_EXCEEDED (default DEFAULT_RESOURCE_LIMIT). */
  resourceLimit?: number;
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
  | ({ kind: "secondaryRateLimit"; status?: 403 | 200 | 429; retryAfterSeconds?: number } & FaultTarget)
  /**
   * The request is answered for real (a mutation takes effect), then the answer is spoiled on the way out:
   * `truncate` sends its status and headers with the full content-length, half the body, and destroys the
   * socket (a reset or a proxy giving up mid-body); `garbled` sends a complete body that is not JSON.
   */
  | ({ kind: "truncate" | "garbled" } & FaultTarget);

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
  /** The most requests of the key's user in flight at once since resetPeakInFlight (or the start). */
  peakInFlight(token: string): number;
  resetPeakInFlight(): void;
  rateLimitOf(token: string, resource?: RateLimitResource): RateLimitState;
  close(): Promise<void>;
}
