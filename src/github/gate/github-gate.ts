import type { GatewayMetrics } from "../../observability/metrics";
import { expiresSoon } from "../../integrations/key-health";
import { GitHubAnswerErrors, GitHubTransportError, isFieldRefusal } from "../github-answer-errors";
import type { GatewayRateLimitFieldsFragment } from "../generated/github-operations";
import { parseExpiration } from "../key-headers";
import { toGatewayError } from "../to-gateway-error";
import type { GitHubAnswer, GitHubHttp, RestAnswer } from "./github-http";
import type { SharedSlots } from "./shared-slots";
import type { RateLimitBlocks } from "./rate-limit-blocks";
import type { SecondaryPacing } from "./secondary-pacing";
import { retryDelayMs, sleep } from "./retry-policy";
import { isStored, type KeyWriteBacks, type StoredKey, type UpstreamCall } from "./upstream-call";

/** Less than this left of the caller's time is not worth an attempt. */
const MIN_ATTEMPT_MS = 250;

/** The GitHub budget a call spends: GraphQL points, the REST core budget, or the search budget (code search). */
export type Resource = "graphql" | "core" | "search";

export interface GateLimits {
  /** Upstream calls in flight per workspace: one workspace's burst never takes every socket. */
  perTenant: SharedSlots;
  /** Mutations one at a time per key, as GitHub asks. */
  mutationsPerKey: SharedSlots;
  /** Keys GitHub said are rate limited, until GitHub said the limit is over. */
  rateLimitBlocks: RateLimitBlocks;
  /** GitHub's secondary limits per key, kept before GitHub has to refuse. */
  pacing: SecondaryPacing;
}

export interface GateOptions {
  http: GitHubHttp;
  /** GITHUB_TIMEOUT_MS: the whole time one call may take, retries included (less when the caller has less left). */
  timeoutMs: number;
  limits: GateLimits;
  writeBacks: KeyWriteBacks;
  metrics: GatewayMetrics;
}

const outOfTime = () => new GitHubTransportError("timeout", new Error("the request's time (REQUEST_TIMEOUT_MS) ran out"));

/**
 * GitHub answers content created too fast inside an HTTP 200 (cli/cli#4801); thrown here so that the key's
 * content-creation limit is remembered like any rate limit, and no mutation is sent until it is over.
 */
function refuseTooQuick<T>(answer: GitHubAnswer<T>): GitHubAnswer<T> {
  const tooQuick = answer.errors.find((e) => e.type === "UNPROCESSABLE" && /submitted too quickly/i.test(e.message));
  if (tooQuick) throw new GitHubAnswerErrors([tooQuick], Object.fromEntries(answer.headers));
  return answer;
}

/**
 * The data of a document that must succeed whole, but for fields the key may not read (their parent
 * answered, they are null): any other error fails it, in the contract's codes.
 */
export function wholeData<T>(answer: GitHubAnswer<T>): T {
  const fatal = answer.errors.filter((e) => !isFieldRefusal(e, answer.data));
  if (fatal.length > 0) throw toGatewayError(new GitHubAnswerErrors(fatal, Object.fromEntries(answer.headers)));
  return answer.data;
}

/**
 * The one road to GitHub: every upstream call of the gateway (look-ups, searches, mutations, code search,
 * the key check at connect and renew, the refresh of what a key reaches) goes through here, and nothing
 * else calls GitHubHttp. In order, a call:
 *  1. is refused at once while GitHub has rate-limited its key for that budget (RateLimitBlocks), as far
 *     as this instance knows; what the other instances know is read while it waits for its slot, and
 *     refuses it before it is sent;
 *  2. waits for a slot in its workspace's lane (and, a mutation, in its key's), never past its deadline, and
 *     before each attempt for the key's room under GitHub's secondary limits (SecondaryPacing);
 *  3. is sent, and retried under the retry policy (queries only), the stored key confirmed current before
 *     every attempt and checked once more as it is handed to the socket, within GITHUB_TIMEOUT_MS and the
 *     caller's deadline;
 *  4. on an answer: the points left become a metric, the use and an expiry GitHub reports are written back;
 *     on a failure: mapped to the contract's code, counted, a rate limit remembered, a 401 written back.
 * A key being checked (connect, renew) is not stored yet: it has no blocks, confirmation or write-backs.
 */
/** One HTTP attempt; `beforeSend` runs as the request is handed to the socket, and may refuse it by throwing. */
type Attempt<A> = (key: string, timeoutMs: number, beforeSend?: () => void) => Promise<A>;

export class GitHubGate {
  constructor(private readonly o: GateOptions) {}

  /** A GraphQL document; errors beside data come back to be routed by path. `lookups`: how many it folds. */
  async graphql<T>(call: UpstreamCall, text: string, variables: Record<string, unknown>, options: { mutation?: boolean; lookups?: number } = {}): Promise<GitHubAnswer<T>> {
    if (options.lookups !== undefined) this.o.metrics.batchLookups.observe(options.lookups);
    const mutation = options.mutation === true;
    const answer = await this.through(call, "graphql", mutation, (key, ms, beforeSend) =>
      mutation ? this.o.http.graphql<T>(key, text, variables, ms, beforeSend).then(refuseTooQuick) : this.o.http.graphql<T>(key, text, variables, ms, beforeSend),
    );
    const rateLimit = (answer.data as { rateLimit?: GatewayRateLimitFieldsFragment } | null)?.rateLimit;
    if (rateLimit) call.budget.latest = rateLimit;
    return answer;
  }

  /** A REST GET; `resource` is the GitHub budget it spends (code search: `search`). */
  rest<T>(call: UpstreamCall, route: string, params: Record<string, string | number>, accept: string, resource: Exclude<Resource, "graphql">): Promise<RestAnswer<T>> {
    return this.through(call, resource, false, (key, ms, beforeSend) => this.o.http.rest<T>(key, route, params, accept, ms, beforeSend));
  }

  private async through<A extends { headers: Headers }>(call: UpstreamCall, resource: Resource, mutation: boolean, attempt: Attempt<A>): Promise<A> {
    const stored = isStored(call.auth) ? call.auth : undefined;
    const scope = stored && `${stored.integration.id}:${stored.integration.keyVersion}`;
    const blocks = this.o.limits.rateLimitBlocks;
    // Creating content has a secondary limit of its own: met, it rests creating, not reading.
    const scopes = scope ? (mutation ? [`${scope}:${resource}`, `${scope}:content`] : [`${scope}:${resource}`]) : [];
    blocks.refuseKnown(scopes);
    // The fleet's blocks (Redis) are read while the slot is taken, not before: one round trip less in
    // every call's way (bench case 7), and nothing is sent before both have answered.
    let blocked: unknown;
    const checked = scope ? blocks.check(scopes).catch((e: unknown) => Promise.reject((blocked = e))) : undefined;
    checked?.catch(() => undefined); // awaited in the slot; a block found is not an upstream error
    try {
      const pace = stored && ((end: number) => this.o.limits.pacing.take(stored.integration.id, resource === "graphql" ? "graphql" : "rest", mutation, end));
      const send = async () => {
        await checked;
        return this.attempts(call, mutation, attempt, pace);
      };
      const inLane = () => (mutation && scope ? this.o.limits.mutationsPerKey.run(scope, send, call.deadline, outOfTime) : send());
      const answer = await this.o.limits.perTenant.run(call.tenant, inLane, call.deadline, outOfTime);
      if (stored) await this.noteAnswer(call, stored, answer.headers);
      return answer;
    } catch (e) {
      if (blocked !== undefined) throw blocked;
      const mapped = toGatewayError(e);
      this.o.metrics.upstreamErrors.inc({ code: mapped.code });
      if (stored && scope) {
        // The gateway's own pacing (SECONDARY_LIMIT) is not GitHub's word: it waits, it does not block the key.
        if (mapped.code === "GITHUB_RATE_LIMITED" && mapped.extensions.reason !== "SECONDARY_LIMIT") {
          await blocks.note(mapped.extensions.reason === "CONTENT_CREATION" ? `${scope}:content` : `${scope}:${resource}`, mapped);
          if (resource === "graphql") this.o.metrics.pointsRemaining.set({ integration: stored.integration.id }, 0);
        }
        if (mapped.code === "GITHUB_TOKEN_REJECTED") await this.o.writeBacks.markRejected(stored.integration.id, stored.integration.keyVersion, call.log);
      }
      throw mapped;
    }
  }

  /**
   * The one retry loop. Each attempt starts only with time left and, for a stored key, right after
   * confirming it is still current: the wait for a slot or a retry may have outlived a renew, deactivate
   * or disconnect (no upstream use of a key after its change commits). Mutations are never retried:
   * GitHub may have applied one that did not answer, or whose answer was lost.
   */
  private async attempts<A>(call: UpstreamCall, mutation: boolean, attempt: Attempt<A>, pace?: (end: number) => Promise<void>): Promise<A> {
    const end = Math.min(Date.now() + this.o.timeoutMs, call.deadline);
    const { auth } = call;
    for (let n = 0; ; n++) {
      if (call.deadline - Date.now() < MIN_ATTEMPT_MS) throw outOfTime();
      // Every attempt is a call GitHub counts; the key is confirmed after any wait here.
      await pace?.(end);
      if (isStored(auth)) await auth.confirm();
      try {
        return await attempt(auth.key, end - Date.now(), isStored(auth) ? auth.stillCurrent : undefined);
      } catch (e) {
        const wait = mutation ? undefined : retryDelayMs(e, n);
        if (wait === undefined || Date.now() + wait + MIN_ATTEMPT_MS > end) throw e;
        await sleep(wait);
      }
    }
  }

  /** What an answer says about the stored key: points left (a metric), its use, and an expiry within 7 days (once). */
  private async noteAnswer(call: UpstreamCall, stored: StoredKey, headers: Headers): Promise<void> {
    const { integration } = stored;
    const remaining = Number(headers.get("x-ratelimit-remaining") ?? NaN);
    if (Number.isFinite(remaining)) this.o.metrics.pointsRemaining.set({ integration: integration.id }, remaining);
    await this.o.writeBacks.markUsed(integration.id, call.log);
    if (integration.expiryWarnedAt) return;
    const reported = parseExpiration(headers.get("github-authentication-token-expiration")) ?? integration.expiresAt;
    if (reported && expiresSoon(reported)) await this.o.writeBacks.markExpiringSoon(integration.id, integration.keyVersion, reported, call.log);
  }
}
