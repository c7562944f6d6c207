import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { CrossRequestBatcher } from "./github/batch/cross-request-batcher";
import { GitHubGate } from "./github/gate/github-gate";
import { GitHubHttp } from "./github/gate/github-http";
import { SecondaryPacing } from "./github/gate/secondary-pacing";
import { SharedSlots } from "./github/gate/shared-slots";
import { RateLimitBlocks } from "./github/gate/rate-limit-blocks";
import { GitHubSession } from "./github/github-session";
import { IntegrationProvider } from "../entities/integration-enums";
import { IntegrationService } from "./integrations/integration.service";
import { KeyVault } from "./integrations/key-vault";
import { IntegrationStore } from "./integrations/integration-store";
import { LocalKeyChangeFeed, PostgresKeyChangeFeed, type KeyChangeFeed } from "./integrations/key-change-feed";
import { FairTurns, REQUESTS_PER_TURN } from "./limits/fair-turns";
import { SharedLimitsLink } from "./limits/shared-limits";
import { TenantRateLimit } from "./limits/tenant-rate-limit";
import type { Logger } from "./logger";
import { GatewayMetrics } from "./observability/metrics";
import { CallerTokenVerifier, type Principal } from "./auth/caller-token";
import type { RequestTiming } from "./observability/request-timing";
import { CredentialCipher } from "./secrets/credential-cipher";

/** The process-wide services, built once at start-up; resolvers reach them through the context. */
export interface Services {
  dataSource: DataSource;
  integrations: IntegrationService;
  vault: KeyVault;
  metrics: GatewayMetrics;
  /** Each tenant's request budget, shared by the instances through Redis when REDIS_URL is set (GATEWAY_RATE_LIMITED). */
  tenantLimit: TenantRateLimit;
  githubSession(principal: Principal, log: Logger, timing?: RequestTiming): GitHubSession;
  /** Resolves in the workspace's turn on this instance's event loop (WORKSPACE_TURNS; at once when off). */
  turn(tenant: string): Promise<void>;
  /** How this instance hears key changes (started with the gateway, stopped before the database closes). */
  keyChanges: KeyChangeFeed;
  /** Closes the idle connections to GitHub and the link to Redis (at shutdown). */
  close(): void;
  /** The caller token check both doors make. */
  callerTokens: CallerTokenVerifier;
}

/** Upstream calls one tenant may have in flight; more queue, so one workspace's burst cannot starve the others. */
const UPSTREAM_CALLS_PER_TENANT = 4;

export function createServices(config: Config, dataSource: DataSource, log: Logger): Services {
  const cipher = new CredentialCipher(config.credentialKeys);
  const metrics = new GatewayMetrics();
  const http = new GitHubHttp({ apiUrl: config.githubApiUrl, onResponse: (api, status) => metrics.upstreamRequests.inc({ api, status }) });
  // The one reader and writer of the integration tables; its write-backs are what the GitHub side records.
  // PostgreSQL may be shared by many instances; embedded PGlite belongs to this process alone.
  const keyChanges = config.databaseUrl
    ? new PostgresKeyChangeFeed({ databaseUrl: config.databaseUrl, leaseMs: config.keyChangeLeaseMs, dataSource, log, metrics })
    : new LocalKeyChangeFeed();
  // The one instance of an embedded database hears every change: its keys always come from memory.
  if (!config.databaseUrl) metrics.keyChangesHeard.set(1);
  const store = new IntegrationStore(dataSource, keyChanges);
  const vault = new KeyVault(store, cipher, keyChanges, metrics);

  // Shared limits (REDIS_URL): the workspace budget, the upstream lanes, GitHub's blocks and the pacing under
  // its secondary limits are one for every instance while Redis answers.
  const sharedLimits = config.redis ? new SharedLimitsLink(config.redis.url, config.redis.timeoutMs, log, metrics) : undefined;
  const limits = {
    perTenant: new SharedSlots("upstream", UPSTREAM_CALLS_PER_TENANT, sharedLimits),
    mutationsPerKey: new SharedSlots("mutations", 1, sharedLimits),
    rateLimitBlocks: new RateLimitBlocks(sharedLimits),
    pacing: new SecondaryPacing(config.githubSecondaryLimits, sharedLimits),
  };
  const gate = new GitHubGate({ http, timeoutMs: config.githubTimeoutMs, limits, writeBacks: store, metrics });
  // Four requests a turn, about 1 ms of work: one a turn cost 20% more CPU a request at saturation for
  // little more fairness (limits/fair-turns.ts).
  const turns = config.workspaceTurns ? new FairTurns(REQUESTS_PER_TURN) : undefined;
  const batching = {
    enabled: config.githubBatching,
    crossRequest: config.githubBatchWindowMs > 0 ? new CrossRequestBatcher(config.githubBatchWindowMs, turns) : undefined,
  };
  const shared = { gate, batching, writeBacks: store };
  const integrations = new IntegrationService(store, cipher, gate, keyChanges, log, config.requestTimeoutMs);
  return {
    dataSource,
    integrations,
    vault,
    metrics,
    keyChanges,
    turn: (tenant) => turns?.wait(tenant) ?? Promise.resolve(),
    tenantLimit: new TenantRateLimit(config.tenantRateLimitPerMinute, sharedLimits),
    close: () => {
      http.close();
      sharedLimits?.close();
    },
    callerTokens: new CallerTokenVerifier(config.authJwtSecret, { maxTtlSeconds: config.callerTokenMaxTtlSeconds }),
    githubSession: (principal, requestLog, timing) =>
      new GitHubSession(shared, {
        tenant: principal.tenant,
        loadKey: () => vault.usableKey(principal.tenant, IntegrationProvider.GITHUB),
        deadline: Date.now() + config.requestTimeoutMs,
        log: requestLog,
        timing,
      }),
  };
}
