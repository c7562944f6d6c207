import type { ActiveIntegration } from "../../integrations/key-vault";
import type { KeyReach } from "../../integrations/key-reach";
import type { Logger } from "../../logger";
import type { GatewayRateLimitFieldsFragment } from "../generated/github-operations";

/** A key stored for a workspace's integration: what every request's upstream calls carry. */
export interface StoredKey {
  integration: ActiveIntegration;
  key: string;
  /**
   * Throws unless this is still the integration's current key and the integration is still active
   * (KeyVault.confirm). The gate awaits it right before every attempt: a renew, deactivate or disconnect
   * committed by any instance stops a request already in flight from its next attempt on.
   */
  confirm(): Promise<void>;
}

/** A key being checked at connect or renew: nothing is stored for it yet, so nothing is written back. */
export interface CandidateKey {
  candidate: string;
}

/** Who sends an upstream call, with which key, until when. One per request (or per key check). */
export interface UpstreamCall {
  /** The workspace whose lane the call waits in (at most a few calls in flight per workspace). */
  tenant: string;
  key: StoredKey | CandidateKey;
  /** When the caller's time is up (REQUEST_TIMEOUT_MS from its start): no call waits or runs past it. */
  deadline: number;
  /** The request's logger (with its request id): failed write-backs are logged there. */
  log: Logger;
  /** The key's budget as of the latest GraphQL answer this caller received (`github.rateLimit`). */
  budget: { latest: GatewayRateLimitFieldsFragment | null };
}

/**
 * What using a stored key writes back on its integration (IntegrationStore). Each is logged, never the
 * request's failure, when the write fails.
 */
export interface KeyWriteBacks {
  markUsed(integrationId: string, log: Logger): Promise<void>;
  markRejected(integrationId: string, keyVersion: number, log: Logger): Promise<void>;
  markExpiringSoon(integrationId: string, keyVersion: number, expiresAt: Date, log: Logger): Promise<void>;
  storeReach(integrationId: string, keyVersion: number, reach: KeyReach, log: Logger): Promise<void>;
}

export const isStored = (key: UpstreamCall["key"]): key is StoredKey => "integration" in key;
