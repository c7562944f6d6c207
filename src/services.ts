import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { CrossRequestBatcher } from "./github/batch/cross-request-batcher";
import { KeyedLimiter } from "./github/concurrency";
import { GitHubClient } from "./github/github-client";
import { GitHubSession } from "./github/github-session";
import { RateLimitBlocks } from "./github/rate-limit-blocks";
import { inspectKey } from "./github/key-inspector";
import { IntegrationProvider } from "../entities/integration-enums";
import { IntegrationService, type KeyChecker } from "./integrations/integration.service";
import { KeyVault } from "./integrations/key-vault";
import { IntegrationRecorder } from "./integrations/integration-recorder";
import { TenantRateLimit } from "./limits/tenant-rate-limit";
import type { Logger } from "./logger";
import { GatewayMetrics } from "./observability/metrics";
import type { Principal } from "./auth/caller-token";
import { CredentialCipher } from "./secrets/credential-cipher";

/** The process-wide services, built once at start-up; resolvers reach them through the context. */
export interface Services {
  dataSource: DataSource;
  integrations: IntegrationService;
  vault: KeyVault;
  metrics: GatewayMetrics;
  /** Each tenant's request budget on this instance (GATEWAY_RATE_LIMITED). */
  tenantLimit: TenantRateLimit;
  githubSession(principal: Principal, log: Logger): GitHubSession;
}

/** Upstream calls one tenant may have in flight; more queue, so one workspace's burst cannot starve the others. */
const UPSTREAM_CALLS_PER_TENANT = 4;

export function createServices(config: Config, dataSource: DataSource, log: Logger): Services {
  const cipher = new CredentialCipher(config.credentialKeys);
  const metrics = new GatewayMetrics();
  const github = new GitHubClient({
    apiUrl: config.githubApiUrl,
    timeoutMs: config.githubTimeoutMs,
    onResponse: (api, status) => metrics.upstreamRequests.inc({ api, status }),
  });
  const vault = new KeyVault(dataSource, cipher);
  const recorder = new IntegrationRecorder(dataSource);
  const limits = { perTenant: new KeyedLimiter(UPSTREAM_CALLS_PER_TENANT), mutationsPerKey: new KeyedLimiter(1), rateLimitBlocks: new RateLimitBlocks() };
  const batching = {
    enabled: config.githubBatching,
    crossRequest: config.githubBatchWindowMs > 0 ? new CrossRequestBatcher(config.githubBatchWindowMs) : undefined,
  };
  const shared = { client: github, recorder, limits, batching, metrics };
  const checkKey: KeyChecker = (key, type, deadline) => inspectKey(github, key, type, deadline);
  const integrations = new IntegrationService(dataSource, cipher, checkKey, vault, log, config.requestTimeoutMs);
  return {
    dataSource,
    integrations,
    vault,
    metrics,
    tenantLimit: new TenantRateLimit(config.tenantRateLimitPerMinute),
    githubSession: (principal, requestLog) =>
      new GitHubSession(shared, {
        tenant: principal.tenant,
        loadKey: () => vault.usableKey(principal.tenant, IntegrationProvider.GITHUB),
        confirmKey: (integration) => vault.confirm(integration, IntegrationProvider.GITHUB),
        deadline: Date.now() + config.requestTimeoutMs,
        log: requestLog,
      }),
  };
}
