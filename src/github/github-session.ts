import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type DataLoader from "dataloader";
import type { UsableKey } from "../integrations/key-vault";
import type { Logger } from "../logger";
import type { RequestTiming } from "../observability/request-timing";
import { createLookupLoader, type LookupBatching } from "./batch/lookup-loader";
import type { AnyLookupResult, Lookup, LookupResult } from "./batch/lookup";
import { textOf, type GitHubAnswer } from "./gate/github-http";
import { wholeData, type GitHubGate } from "./gate/github-gate";
import type { KeyWriteBacks, StoredKeyCall, UpstreamCall } from "./gate/upstream-call";
import { currentSearchScope } from "./search-scope";
import { GatewayRateLimitDocument, GatewayViewerDocument, type GatewayRateLimitFieldsFragment, type GatewayViewerQuery } from "./generated/github-operations";

export type GitHubViewer = GatewayViewerQuery["viewer"];
export type GitHubRateLimit = GatewayRateLimitFieldsFragment;

/** What every request's session shares: the process-wide parts. */
export interface SessionShared {
  gate: GitHubGate;
  batching: LookupBatching;
  writeBacks: KeyWriteBacks;
}

/** What is this request's own. */
export interface SessionRequest {
  tenant: string;
  /** The workspace's current key (KeyVault.usableKey), with the check the gate makes before every attempt. */
  loadKey: () => Promise<UsableKey>;
  /** When this request's time is up (REQUEST_TIMEOUT_MS from its start): no upstream call waits or runs past it. */
  deadline: number;
  /** The request's logger (with its request id). */
  log: Logger;
  /** Where the request's time goes (/graphql's Server-Timing); absent on the MCP door. */
  timing?: RequestTiming;
}

/**
 * A request's front to GitHub (the context's `github`): it loads the workspace's key on first use (a
 * request that never touches `github` reads no credential), makes the request's look-up loader for that
 * key version, and hands every document to the gate (gate/github-gate.ts), which does the rest.
 */
export class GitHubSession {
  private call?: Promise<StoredKeyCall>;
  private loader?: Promise<DataLoader<Lookup, AnyLookupResult, string>>;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly budget: UpstreamCall["budget"] = { latest: null };
  /** Until this request's key is loaded, or it ends: a batch window of the workspace that opens meanwhile waits for its look-ups (cross-request-batcher.ts). */
  private readonly arrived?: () => void;

  constructor(
    private readonly shared: SessionShared,
    private readonly request: SessionRequest,
  ) {
    this.arrived = shared.batching.enabled ? shared.batching.crossRequest?.onItsWay(request.tenant) : undefined;
  }

  /** The request has ended (its door says so): it will send no look-up, so no window waits for it. */
  end(): void {
    this.arrived?.();
  }

  private upstream(): Promise<StoredKeyCall> {
    if (this.call) return this.call;
    const key = this.request.timing ? this.request.timing.time("key", this.request.loadKey()) : this.request.loadKey();
    this.call = key.finally(this.arrived).then((auth) => ({
      tenant: this.request.tenant,
      auth,
      deadline: this.request.deadline,
      log: this.request.log,
      budget: this.budget,
    }));
    return this.call;
  }

  /** Sends one document with the current key; errors beside data are returned for routing. */
  send<T>(text: string, variables: Record<string, unknown>, options: { mutation?: boolean } = {}): Promise<GitHubAnswer<T>> {
    return this.track(this.upstream().then((call) => this.shared.gate.graphql<T>(call, text, variables, options)));
  }

  /** A generated document that must succeed whole, but for fields the key may not read. */
  async query<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V, options: { mutation?: boolean } = {}): Promise<T> {
    return wholeData(await this.send<T>(textOf(document as TypedDocumentNode<unknown, never>), variables ?? {}, options));
  }

  /** A REST GET with the current key (code search, whose budget GitHub keeps apart: the search resource). */
  async rest<T>(route: string, params: Record<string, string | number>, accept: string): Promise<T> {
    return this.timed(this.upstream().then(async (call) => (await this.shared.gate.rest<T>(call, route, params, accept, "search")).data));
  }

  /** Search qualifiers for the owners the key can see (search-scope.ts). */
  searchScope(): Promise<string[]> {
    return this.timed(this.upstream().then((call) => currentSearchScope(this.shared.gate, call, this.shared.writeBacks)));
  }

  lookup<L extends Lookup>(l: L): Promise<LookupResult<L>> {
    this.loader ??= this.upstream().then((call) => createLookupLoader(this.shared.gate, call, this.shared.batching));
    return this.track(this.loader.then((loader) => loader.load(l) as Promise<LookupResult<L>>));
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
    if (!this.budget.latest) await this.query(GatewayRateLimitDocument);
    return this.budget.latest;
  }

  /** Counts `work` as the request's time at GitHub (RequestTiming). */
  private timed<T>(work: Promise<T>): Promise<T> {
    const ended = this.request.timing?.githubStarted();
    if (ended) work.then(ended, ended);
    return work;
  }

  /** Upstream work this request has under way, for `rateLimit` to wait on. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    this.timed(work);
    const done = () => this.inflight.delete(work);
    work.then(done, done);
    return work;
  }
}
