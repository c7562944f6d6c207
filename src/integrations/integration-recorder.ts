import type { DataSource } from "typeorm";
import type { Logger } from "../logger";

const MIN_INTERVAL_MS = 60_000;

/**
 * What using a key writes back on its integration: `lastUsedAt` (at most one write a minute per
 * integration and instance, not one per request), that GitHub rejected the key, and the key's search
 * scope. A failed write is logged, never the request's failure.
 */
export class IntegrationRecorder {
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly ds: DataSource,
    private readonly log: Logger,
  ) {}

  async markUsed(integrationId: string, now = Date.now()): Promise<void> {
    const last = this.lastWritten.get(integrationId);
    if (last !== undefined && now - last < MIN_INTERVAL_MS) return;
    this.lastWritten.set(integrationId, now);
    if (this.lastWritten.size > 10_000) this.lastWritten.delete(this.lastWritten.keys().next().value as string);
    await this.ds
      .query(`UPDATE "integration" SET "last_used_at" = $1 WHERE "id" = $2 AND ("last_used_at" IS NULL OR "last_used_at" < $1)`, [
        new Date(now),
        integrationId,
      ])
      .catch((e: unknown) => this.log.warn({ err: e, integrationId }, "could not record lastUsedAt"));
  }

  /** GitHub answered 401 to this key version; a renew (a new version) is not marked by a late answer. */
  async markRejected(integrationId: string, keyVersion: number): Promise<void> {
    await this.ds
      .query(`UPDATE "integration" SET "key_rejected_at" = now() WHERE "id" = $1 AND "key_version" = $2`, [integrationId, keyVersion])
      .catch((e: unknown) => this.log.warn({ err: e, integrationId }, "could not record that GitHub rejected the key"));
  }

  async storeSearchScope(integrationId: string, scope: string[]): Promise<void> {
    await this.ds
      .query(`UPDATE "integration" SET "search_scope" = $1, "search_scope_refreshed_at" = now() WHERE "id" = $2`, [scope, integrationId])
      .catch((e: unknown) => this.log.warn({ err: e, integrationId }, "could not store the search scope"));
  }
}
