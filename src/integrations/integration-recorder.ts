import type { DataSource } from "typeorm";
import type { Logger } from "../logger";
import { IntegrationEventAction } from "../../entities/integration-enums";
import { GITHUB_ACTOR } from "./key-health";
import { searchScopeOf, type KeyReach } from "./key-reach";

const MIN_INTERVAL_MS = 60_000;

/** Sets a flag on the current key version unless already set, and records its audit event only if it did. */
function flagOnce(set: string, unlessSet: string, action: IntegrationEventAction): string {
  return `
    WITH flagged AS (
      UPDATE "integration" SET ${set} WHERE "id" = $1 AND "key_version" = $2 AND ${unlessSet}
      RETURNING "id", "tenant_id", "provider", "key_fingerprint")
    INSERT INTO "integration_event" ("tenant_id", "provider", "integration_id", "action", "actor", "key_fingerprint", "at")
    SELECT "tenant_id", "provider", "id", '${action}', '${GITHUB_ACTOR}', "key_fingerprint", now() FROM flagged`;
}

/**
 * What using a key writes back on its integration: `lastUsedAt` (at most one write a minute per
 * integration and instance, not one per request), that GitHub rejected the key, and the key's search
 * scope. A failed write is logged, never the request's failure.
 */
export class IntegrationRecorder {
  private readonly lastWritten = new Map<string, number>();

  /** Failures are logged by the request's logger, passed to each call. */
  constructor(private readonly ds: DataSource) {}

  async markUsed(integrationId: string, log: Logger, now = Date.now()): Promise<void> {
    const last = this.lastWritten.get(integrationId);
    if (last !== undefined && now - last < MIN_INTERVAL_MS) return;
    this.lastWritten.set(integrationId, now);
    if (this.lastWritten.size > 10_000) this.lastWritten.delete(this.lastWritten.keys().next().value as string);
    await this.ds
      .query(`UPDATE "integration" SET "last_used_at" = $1 WHERE "id" = $2 AND ("last_used_at" IS NULL OR "last_used_at" < $1)`, [
        new Date(now),
        integrationId,
      ])
      .catch((e: unknown) => log.warn({ err: e, integrationId }, "could not record lastUsedAt"));
  }

  /**
   * GitHub answered 401 to this key version: marked on the card and recorded as one audit event, in one
   * statement, so concurrent requests and instances record it once. A renew (a new version) is not
   * marked by a late answer to the old key.
   */
  async markRejected(integrationId: string, keyVersion: number, log: Logger): Promise<void> {
    await this.ds
      .query(flagOnce(`"key_rejected_at" = now()`, `"key_rejected_at" IS NULL`, IntegrationEventAction.KEY_REJECTED), [integrationId, keyVersion])
      .catch((e: unknown) => log.warn({ err: e, integrationId }, "could not record that GitHub rejected the key"));
  }

  /** GitHub reports this key version expires within 7 days: flagged once, with one audit event. */
  async markExpiringSoon(integrationId: string, keyVersion: number, expiresAt: Date, log: Logger): Promise<void> {
    await this.ds
      .query(flagOnce(`"expiry_warned_at" = now(), "expires_at" = $3`, `"expiry_warned_at" IS NULL`, IntegrationEventAction.KEY_EXPIRING_SOON), [
        integrationId,
        keyVersion,
        expiresAt,
      ])
      .catch((e: unknown) => log.warn({ err: e, integrationId }, "could not record that the key expires soon"));
  }

  /** What the key reaches, read again: the card's reach and the search scope derived from it. */
  async storeReach(integrationId: string, keyVersion: number, reach: KeyReach, log: Logger): Promise<void> {
    await this.ds
      .query(
        `UPDATE "integration" SET "key_reach" = $1, "search_scope" = $2, "search_scope_refreshed_at" = now() WHERE "id" = $3 AND "key_version" = $4`,
        [JSON.stringify(reach), searchScopeOf(reach), integrationId, keyVersion],
      )
      .catch((e: unknown) => log.warn({ err: e, integrationId }, "could not store what the key reaches"));
  }
}
