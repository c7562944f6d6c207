import type { UsableKey } from "../../integrations/key-vault";
import type { KeyReach } from "../../integrations/key-reach";
import type { Logger } from "../../logger";
import type { GatewayRateLimitFieldsFragment } from "../generated/github-operations";

/**
 * A key stored for a workspace's integration, as the vault hands it out: what every request's upstream
 * calls carry. The gate awaits its `confirm` right before every attempt: a renew, deactivate or disconnect
 * committed by any instance stops a request already in flight from its next attempt on.
 */
export type StoredKey = UsableKey;

/** A key being checked at connect or renew: nothing is stored for it yet, so nothing is written back. */
export interface CandidateKey {
  key: string;
}

/** Who sends an upstream call, with which key, until when. One per request (or per key check). */
export interface UpstreamCall {
  /** The workspace whose lane the call waits in (at most a few calls in flight per workspace). */
  tenant: string;
  /** The key it sends, and whether it is stored (blocks, confirmation, write-backs) or being checked. */
  auth: StoredKey | CandidateKey;
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

/** A request's calls: always with the workspace's stored key. */
export type StoredKeyCall = UpstreamCall & { auth: StoredKey };

export const isStored = (auth: UpstreamCall["auth"]): auth is StoredKey => "integration" in auth;
