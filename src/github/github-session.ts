import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type DataLoader from "dataloader";
import type { UsableKey } from "../integrations/key-vault";
import type { IntegrationRecorder } from "../integrations/integration-recorder";
import type { Logger } from "../logger";
import type { GatewayMetrics } from "../observability/metrics";
import { createLookupLoader } from "./batch/lookup-loader";
import type { AnyLookupResult, Lookup, LookupResult } from "./batch/lookup";
import type { CrossRequestBatcher } from "./batch/cross-request-batcher";
import type { KeyedLimiter } from "./concurrency";
import type { RateLimitBlocks } from "./rate-limit-blocks";
import { textOf, type GitHubAnswer, type GitHubClient } from "./github-client";
import { toGatewayError } from "./to-gateway-error";
import { GitHubAnswerErrors, GitHubTransportError, isFieldRefusal } from "./github-answer-errors";
import { readKeyReach } from "./key-reach-reader";
import { searchScopeOf } from "../integrations/key-reach";
import { parseExpiration } from "./key-inspector";
import { expiresSoon } from "../integrations/key-health";
import { GatewayRateLimitDocument, GatewayViewerDocument, type GatewayRateLimitFieldsFragment, type GatewayViewerQuery } from "./generated/github-operations";

const SCOPE_TTL_MS = 3600_000;

export type GitHubViewer = GatewayViewerQuery["viewer"];
export type GitHubRateLimit = GatewayRateLimitFieldsFragment;

/** Less than this left of a request's time is not worth an upstream call. */
const MIN_CALL_MS = 250;

/**
 * GitHub answers content created too fast inside an HTTP 200 (cli/cli#4801); thrown here so that the key's
 * content-creation limit is remembered like any rate limit, and no mutation is sent until it is over.
 */
function refuseTooQuick<T>(answer: GitHubAnswer<T>): GitHubAnswer<T> {
  const tooQuick = answer.errors.find((e) => e.type === "UNPROCESSABLE" && /submitted too quickly/i.test(e.message));
  if (tooQuick) throw new GitHubAnswerErrors([tooQuick], Object.fromEntries(answer.headers));
  return answer;
}
const outOfTime = () => new GitHubTransportError("timeout", new Error("the request's time (REQUEST_TIMEOUT_MS) ran out"));

export interface SessionLimits {
  /** Upstream calls in flight per tenant: one tenant's burst never takes every socket. */
  perTenant: KeyedLimiter;
  /** Mutations one at a time per key, as GitHub asks. */
  mutationsPerKey: KeyedLimiter;
  /** Keys GitHub said are rate limited, until GitHub said the limit is over. */
  rateLimitBlocks: RateLimitBlocks;
}

/** What every request's session shares: the process-wide parts. */
export interface SessionShared {
  client: GitHubClient;
  recorder: IntegrationRecorder;
  limits: SessionLimits;
  batching: SessionBatching;
  metrics: GatewayMetrics;
}

/** What is this request's own. */
export interface SessionRequest {
  tenant: string;
  loadKey: () => Promise<UsableKey>;
  /** Throws unless the loaded key is still current and active (KeyVault.confirm); awaited right before every upstream call. */
  confirmKey: (integration: UsableKey["integration"]) => Promise<void>;
  /** When this request's time is up (REQUEST_TIMEOUT_MS from its start): no upstream call waits or runs past it. */
  deadline: number;
  /** The request's logger (with its request id). */
  log: Logger;
}

export interface SessionBatching {
  /** False: one upstream document per look-up (GITHUB_BATCHING=off, the benchmark's baseline). */
  enabled: boolean;
  /** Present when look-ups of concurrent requests share documents (GITHUB_BATCH_WINDOW_MS > 0). */
  crossRequest?: CrossRequestBatcher;
}

/**
 * A request's use of GitHub. The tenant's key is loaded on first use (a request that never touches
 * `github` reads no credential); look-ups go through a DataLoader made for this request and this key
 * version; every document carries `rateLimit`, whose latest answer `github.rateLimit` shows.
 */
export class GitHubSession {
  private key?: Promise<UsableKey>;
  private loader?: Promise<DataLoader<Lookup, AnyLookupResult, string>>;
  private readonly inflight = new Set<Promise<unknown>>();
  private lastRateLimit: GitHubRateLimit | null = null;

  private readonly client: GitHubClient;
  private readonly recorder: IntegrationRecorder;
  private readonly limits: SessionLimits;
  private readonly batching: SessionBatching;
  private readonly metrics: GatewayMetrics;

  constructor(
    shared: SessionShared,
    private readonly request: SessionRequest,
  ) {
    ({ client: this.client, recorder: this.recorder, limits: this.limits, batching: this.batching, metrics: this.metrics } = shared);
  }

  private timeLeft(): number {
    return this.request.deadline - Date.now();
  }

  private usableKey(): Promise<UsableKey> {
    this.key ??= this.request.loadKey();
    return this.key;
  }

  /** Sends one document with the current key; errors beside data are returned for routing. */
  send<T>(text: string, variables: Record<string, unknown>, options: { mutation?: boolean } = {}): Promise<GitHubAnswer<T>> {
    return this.track(this.sendNow<T>(text, variables, options));
  }

  private async sendNow<T>(text: string, variables: Record<string, unknown>, options: { mutation?: boolean }): Promise<GitHubAnswer<T>> {
    const answer = await this.withKey(
      (key, integration) =>
        options.mutation
          ? this.limits.mutationsPerKey.run(
              `${integration.id}:${integration.keyVersion}`,
              // Confirmed again: the wait for the key's earlier mutation may have outlived a renew.
              async () => {
                await this.request.confirmKey(integration);
                return this.client.send<T>(key, text, variables, { ...options, timeoutMs: this.timeLeft() }).then(refuseTooQuick);
              },
              this.request.deadline,
              outOfTime,
            )
          : this.client.send<T>(key, text, variables, { ...options, timeoutMs: this.timeLeft(), beforeRetry: () => this.request.confirmKey(integration) }),
      "graphql",
      options.mutation === true,
    );
    const rateLimit = (answer.data as { rateLimit?: GitHubRateLimit } | null)?.rateLimit;
    if (rateLimit) this.lastRateLimit = rateLimit;
    return answer;
  }

  /** A REST GET with the current key (code search, whose budget GitHub keeps apart: the search resource). */
  async rest<T>(route: string, params: Record<string, string | number>, accept: string): Promise<T> {
    return (await this.restAnswer<T>(route, params, accept, "search")).data;
  }

  /** A REST GET through withKey, with its headers; `resource` is the GitHub budget it spends. */
  private restAnswer<T>(route: string, params: Record<string, string | number>, accept: string, resource: "search" | "core"): Promise<{ data: T; headers: Headers }> {
    return this.withKey(
      (key, integration) => this.client.rest<T>(key, route, params, accept, { timeoutMs: this.timeLeft(), beforeRetry: () => this.request.confirmKey(integration) }),
      resource,
    );
  }

  /**
   * Every upstream call: with the current key, within the tenant's upstream limit, recorded as a use,
   * its failure mapped to the contract's codes (and a 401 recorded on the card).
   */
  private async withKey<T>(call: (key: string, integration: UsableKey["integration"]) => Promise<T>, resource: "graphql" | "search" | "core" = "graphql", creates = false): Promise<T> {
    const { integration, key } = await this.usableKey();
    const budget = `${integration.id}:${integration.keyVersion}:${resource}`;
    // Creating content has a secondary limit of its own: met, it rests creating, not reading.
    const content = `${integration.id}:${integration.keyVersion}:content`;
    this.limits.rateLimitBlocks.check(budget);
    if (creates) this.limits.rateLimitBlocks.check(content);
    try {
      // Checked once a slot is free, right before the call: the wait may have used up the time, or
      // outlived a renew, deactivate or disconnect (no upstream use of a key after its change commits).
      const callInTime = async () => {
        if (this.timeLeft() < MIN_CALL_MS) throw outOfTime();
        await this.request.confirmKey(integration);
        return call(key, integration);
      };
      const result = await this.limits.perTenant.run(this.request.tenant, callInTime, this.request.deadline, outOfTime);
      const headers = (result as { headers?: Headers }).headers;
      const remaining = Number(headers?.get("x-ratelimit-remaining") ?? NaN);
      if (Number.isFinite(remaining)) this.metrics.pointsRemaining.set({ integration: integration.id }, remaining);
      await this.recorder.markUsed(integration.id, this.request.log);
      await this.noteExpiry(integration, headers);
      return result;
    } catch (e) {
      const mapped = toGatewayError(e);
      this.metrics.upstreamErrors.inc({ code: mapped.code });
      if (mapped.code === "GITHUB_RATE_LIMITED") {
        this.limits.rateLimitBlocks.note(mapped.extensions.reason === "CONTENT_CREATION" ? content : budget, mapped);
        if (resource === "graphql") this.metrics.pointsRemaining.set({ integration: integration.id }, 0);
      }
      if (mapped.code === "GITHUB_TOKEN_REJECTED") await this.recorder.markRejected(integration.id, integration.keyVersion, this.request.log);
      throw mapped;
    }
  }

  /** GitHub states the key's expiry on every answer; within 7 days, the card and the audit trail say so, once. */
  private async noteExpiry(integration: UsableKey["integration"], headers: Headers | undefined): Promise<void> {
    if (integration.expiryWarnedAt) return;
    const reported = parseExpiration(headers?.get("github-authentication-token-expiration") ?? null) ?? integration.expiresAt;
    if (reported && expiresSoon(reported)) await this.recorder.markExpiringSoon(integration.id, integration.keyVersion, reported, this.request.log);
  }

  /** Upstream work this request has under way, for `rateLimit` to wait on. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    const done = () => this.inflight.delete(work);
    work.then(done, done);
    return work;
  }

  /** A generated document that must succeed whole, but for fields the key may not read (their parent answered, they are null). */
  async query<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V, options: { mutation?: boolean } = {}): Promise<T> {
    const answer = await this.send<T>(textOf(document as TypedDocumentNode<unknown, never>), variables ?? {}, options);
    const fatal = answer.errors.filter((e) => !isFieldRefusal(e, answer.data));
    if (fatal.length > 0) throw toGatewayError(new GitHubAnswerErrors(fatal, Object.fromEntries(answer.headers)));
    return answer.data;
  }

  /**
   * Search qualifiers for the owners the key can see. Found with the key; refreshed here when older
   * than SCOPE_TTL_MS (the key may have gained or lost repositories since).
   */
  async searchScope(): Promise<string[]> {
    const { integration } = await this.usableKey();
    const age = Date.now() - (integration.searchScopeRefreshedAt?.getTime() ?? 0);
    if (age < SCOPE_TTL_MS && integration.searchScope.length > 0) return integration.searchScope;
    // Each of its pages is an upstream call of its own: the key confirmed before each, a slot of the lane each.
    const reach = await readKeyReach((route, params, accept) => this.restAnswer(route, params, accept, "core"), integration.accountLogin);
    await this.recorder.storeReach(integration.id, integration.keyVersion, reach, this.request.log);
    return searchScopeOf(reach);
  }

  lookup<L extends Lookup>(l: L): Promise<LookupResult<L>> {
    this.loader ??= this.createLoader();
    return this.track(this.loader.then((loader) => loader.load(l) as Promise<LookupResult<L>>));
  }

  /** Made once the key is known: the loader (and any shared window) belongs to this key version. */
  private async createLoader(): Promise<DataLoader<Lookup, AnyLookupResult, string>> {
    const { integration } = await this.usableKey();
    const { enabled, crossRequest } = this.batching;
    return createLookupLoader({
      send: (text, variables, lookups) => {
        this.metrics.batchLookups.observe(lookups);
        return this.send<Record<string, unknown> | null>(text, variables);
      },
      batching: enabled,
      crossRequest: enabled && crossRequest ? { batcher: crossRequest, scope: `${integration.id}:${integration.keyVersion}` } : undefined,
      onRateLimit: (rateLimit) => (this.lastRateLimit = rateLimit),
    });
  }

  async viewer(): Promise<GitHubViewer> {
    return (await this.query(GatewayViewerDocument)).viewer;
  }

  /**
   * The budget as of this request's latest upstream answer. Sibling fields resolve in parallel, so
   * wait a turn for their look-ups to be sent, then for them to answer; ask GitHub only if none did.
   */
  async rateLimit(): Promise<GitHubRateLimit | null> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await Promise.allSettled([...this.inflight]);
    if (!this.lastRateLimit) await this.query(GatewayRateLimitDocument);
    return this.lastRateLimit;
  }
}
