import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { IntegrationEntity } from "../../entities/integration.entity";
import { IntegrationCredentialEntity } from "../../entities/integration-credential.entity";
import { IntegrationEventEntity } from "../../entities/integration-event.entity";
import { GitHubTokenType, IntegrationEventAction, IntegrationProvider, IntegrationStatus } from "../../entities/integration-enums";
import { inTransaction, pgCodeOf } from "../db/transaction";
import type { Logger } from "../logger";
import type { CredentialBinding, SealedCredential } from "../secrets/credential-cipher";
import { expiresSoon, GITHUB_ACTOR } from "./key-health";
import { searchScopeOf, type KeyReach } from "./key-reach";
import type { KeyChangeFeed, KeyState, NumberedKeyChange } from "./key-change-feed";
import type { ActiveIntegration } from "./key-vault";

/** What a lifecycle change returns, with the change as announced (IntegrationService settles it before answering). */
export interface Changed<T> {
  result: T;
  change: NumberedKeyChange;
}

/** A key GitHub has accepted, as connect and renew store it. The store never sees the key in clear: `seal` encrypts it for its row. */
export interface KeyRegistration {
  keyFingerprint: string;
  tokenType: GitHubTokenType;
  accountLogin: string;
  scopes: string[];
  expiresAt: Date | null;
  searchScope: string[];
  keyReach: KeyReach;
  seal: (binding: CredentialBinding) => SealedCredential;
}

/** The integration and its credential as one statement read them (KeyVault decrypts the key). */
export interface CurrentKey {
  status: IntegrationStatus;
  integration: ActiveIntegration;
  /** Null when the credential row is missing or incomplete. */
  credential: { keyVersion: number; sealed: SealedCredential } | null;
}

/**
 * One statement, one snapshot: the integration and its credential together. Plain SQL because this
 * runs on every GitHub request, and TypeORM's query builder cost more CPU than the query (profile in
 * bench/README.md).
 */
const CURRENT_KEY = `
  SELECT i.id, i.status, i.key_version, i.account_login, i.search_scope, i.search_scope_refreshed_at, i.expires_at, i.expiry_warned_at,
         c.key_version AS credential_version, c.key_id, c.iv, c.ciphertext, c.auth_tag
    FROM integration i LEFT JOIN integration_credential c ON c.integration_id = i.id
   WHERE i.tenant_id = $1 AND i.provider = $2`;

interface CurrentKeyRow {
  id: string;
  status: IntegrationStatus;
  key_version: number;
  account_login: string;
  search_scope: string[];
  search_scope_refreshed_at: Date | null;
  expires_at: Date | null;
  expiry_warned_at: Date | null;
  credential_version: number | null;
  key_id: string | null;
  iv: Buffer | null;
  ciphertext: Buffer | null;
  auth_tag: Buffer | null;
}

/** The integration's state alone, by its primary key: read before every upstream call (KeyVault.confirm). */
const KEY_STATE = `SELECT status, key_version FROM integration WHERE id = $1`;

/**
 * Sets a flag on one key version unless it is already set, and records its audit event only if it did,
 * in one statement: concurrent requests and instances record it once, and a late answer to an old key
 * version flags nothing. Returns a row when it flagged.
 */
function flagOnce(set: string, unlessSet: string, action: IntegrationEventAction, at: string): string {
  return `
    WITH flagged AS (
      UPDATE "integration" SET ${set} WHERE "id" = $1 AND "key_version" = $2 AND ${unlessSet}
      RETURNING "id", "tenant_id", "provider", "key_fingerprint")
    INSERT INTO "integration_event" ("tenant_id", "provider", "integration_id", "action", "actor", "key_fingerprint", "at")
    SELECT "tenant_id", "provider", "id", '${action}', '${GITHUB_ACTOR}', "key_fingerprint", ${at} FROM flagged
    RETURNING "id", "tenant_id", "provider"`;
}

/** GitHub answered 401 to this key version. */
const FLAG_REJECTED = flagOnce(`"key_rejected_at" = now()`, `"key_rejected_at" IS NULL`, IntegrationEventAction.KEY_REJECTED, "now()");

/** This key version expires within 7 days ($3: when; $4: the time of the flag and its event). The one writer of KEY_EXPIRING_SOON. */
const FLAG_EXPIRING_SOON = flagOnce(
  `"expiry_warned_at" = $4::timestamptz, "expires_at" = $3`,
  `"expiry_warned_at" IS NULL`,
  IntegrationEventAction.KEY_EXPIRING_SOON,
  "$4::timestamptz",
);

const MARK_USED = `UPDATE "integration" SET "last_used_at" = $1 WHERE "id" = $2 AND ("last_used_at" IS NULL OR "last_used_at" < $1)`;

const STORE_REACH = `
  WITH stored AS (
    UPDATE "integration" SET "key_reach" = $1, "search_scope" = $2, "search_scope_refreshed_at" = now() WHERE "id" = $3 AND "key_version" = $4
    RETURNING "tenant_id", "provider")
  SELECT "tenant_id", "provider" FROM stored`;

/** Whose card a write-back changed, for other instances to drop their copy. */
interface CardRow {
  tenant_id: string;
  provider: IntegrationProvider;
}

/** `lastUsedAt` is written at most this often per integration and instance, not once per request. */
const MARK_USED_INTERVAL_MS = 60_000;
const MAX_REMEMBERED_USES = 10_000;

/**
 * The only code that reads or writes `integration`, `integration_credential` and `integration_event`.
 * Each lifecycle change is one transaction that locks the integration row and writes the change with its
 * audit event, so concurrent changes serialise and each one that took effect has exactly one event. The
 * write-backs after GitHub's answers never fail a request: a failure is logged with the request's logger.
 */
export class IntegrationStore {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly ds: DataSource,
    /** Each lifecycle change is numbered and announced in its transaction, so that instances holding the key in memory hear of it. */
    private readonly changes: KeyChangeFeed,
  ) {}

  find(tenantId: string, provider: IntegrationProvider): Promise<IntegrationEntity | null> {
    return this.ds.getRepository(IntegrationEntity).findOneBy({ tenantId, provider });
  }

  list(tenantId: string): Promise<IntegrationEntity[]> {
    return this.ds.getRepository(IntegrationEntity).find({ where: { tenantId }, order: { provider: "ASC" } });
  }

  /** The new integration with its credential and CONNECTED event; null when the tenant already has this provider (the unique index said so). */
  async connect(tenantId: string, provider: IntegrationProvider, actor: string, registration: KeyRegistration): Promise<Changed<IntegrationEntity> | null> {
    try {
      return await inTransaction(this.ds, async (em) => {
        const now = new Date();
        const created = em.create(IntegrationEntity, {
          id: randomUUID(),
          tenantId,
          provider,
          status: IntegrationStatus.ACTIVE,
          keyVersion: 1,
          ...this.cardFields(registration, actor, now),
        });
        await em.insert(IntegrationEntity, created);
        await em.insert(IntegrationCredentialEntity, this.credentialFor(created, registration, now));
        await this.record(em, created, IntegrationEventAction.CONNECTED, actor, now);
        await this.warnIfExpiringSoon(em, created, now);
        return { result: created, change: await this.announce(em, created, "ACTIVE") };
      });
    } catch (e) {
      if (pgCodeOf(e) === "23505") return null;
      throw e;
    }
  }

  /** The integration with its next key version, credential and RENEWED event; null when not connected. */
  renew(tenantId: string, provider: IntegrationProvider, actor: string, registration: KeyRegistration): Promise<Changed<IntegrationEntity> | null> {
    return inTransaction(this.ds, async (em) => {
      const integration = await this.lock(em, tenantId, provider);
      if (!integration) return null;
      const now = new Date();
      const changes = { ...this.cardFields(registration, actor, now), keyVersion: integration.keyVersion + 1 };
      await em.update(IntegrationEntity, { id: integration.id }, changes);
      Object.assign(integration, changes);
      // Same row, new version: the associated data changes, so the old ciphertext could not stand in.
      await em.update(IntegrationCredentialEntity, { integrationId: integration.id }, this.credentialFor(integration, registration, now));
      await this.record(em, integration, IntegrationEventAction.RENEWED, actor, now);
      await this.warnIfExpiringSoon(em, integration, now);
      return { result: integration, change: await this.announce(em, integration, integration.status) };
    });
  }

  /** Activates or deactivates, with its event when that changed anything; null when not connected. */
  setStatus(
    tenantId: string,
    provider: IntegrationProvider,
    actor: string,
    status: IntegrationStatus,
  ): Promise<{ integration: IntegrationEntity; change?: NumberedKeyChange } | null> {
    return inTransaction(this.ds, async (em) => {
      const integration = await this.lock(em, tenantId, provider);
      if (!integration) return null;
      // Asking for the state it is already in changes nothing and records nothing.
      if (integration.status === status) return { integration };
      await em.update(IntegrationEntity, { id: integration.id }, { status });
      integration.status = status;
      const action = status === IntegrationStatus.ACTIVE ? IntegrationEventAction.ACTIVATED : IntegrationEventAction.DEACTIVATED;
      await this.record(em, integration, action, actor, new Date());
      return { integration, change: await this.announce(em, integration, status) };
    });
  }

  /** Deletes the integration and its credential, with a DISCONNECTED event (events outlive it); null when not connected. */
  remove(tenantId: string, provider: IntegrationProvider, actor: string): Promise<Changed<{ integrationId: string; removedAt: Date }> | null> {
    return inTransaction(this.ds, async (em) => {
      const integration = await this.lock(em, tenantId, provider);
      if (!integration) return null;
      const now = new Date();
      await em.delete(IntegrationCredentialEntity, { integrationId: integration.id });
      await em.delete(IntegrationEntity, { id: integration.id });
      await this.record(em, integration, IntegrationEventAction.DISCONNECTED, actor, now);
      return { result: { integrationId: integration.id, removedAt: now }, change: await this.announce(em, integration, "REMOVED") };
    });
  }

  async currentKey(tenantId: string, provider: IntegrationProvider): Promise<CurrentKey | undefined> {
    const [row] = (await this.ds.query(CURRENT_KEY, [tenantId, provider])) as CurrentKeyRow[];
    if (!row) return undefined;
    const { key_id: keyId, iv, ciphertext, auth_tag: authTag } = row;
    return {
      status: row.status,
      integration: {
        id: row.id,
        keyVersion: row.key_version,
        accountLogin: row.account_login,
        searchScope: row.search_scope,
        searchScopeRefreshedAt: row.search_scope_refreshed_at,
        expiresAt: row.expires_at,
        expiryWarnedAt: row.expiry_warned_at,
      },
      credential:
        row.credential_version !== null && keyId && iv && ciphertext && authTag
          ? { keyVersion: row.credential_version, sealed: { keyId, iv, ciphertext, authTag } }
          : null,
    };
  }

  async keyState(integrationId: string): Promise<{ status: IntegrationStatus; keyVersion: number } | undefined> {
    const [row] = (await this.ds.query(KEY_STATE, [integrationId])) as Pick<CurrentKeyRow, "status" | "key_version">[];
    return row && { status: row.status, keyVersion: row.key_version };
  }

  async markUsed(integrationId: string, log: Logger, now = Date.now()): Promise<void> {
    const last = this.lastUsedWritten.get(integrationId);
    if (last !== undefined && now - last < MARK_USED_INTERVAL_MS) return;
    this.lastUsedWritten.set(integrationId, now);
    if (this.lastUsedWritten.size > MAX_REMEMBERED_USES) this.lastUsedWritten.delete(this.lastUsedWritten.keys().next().value as string);
    await this.ds.query(MARK_USED, [new Date(now), integrationId]).catch((e: unknown) => log.warn({ err: e, integrationId }, "could not record lastUsedAt"));
  }

  /** GitHub answered 401 to this key version: marked on the card with one KEY_REJECTED event. A renew (a new version) is not marked by a late answer to the old key. */
  async markRejected(integrationId: string, keyVersion: number, log: Logger): Promise<void> {
    await this.ds
      .query(FLAG_REJECTED, [integrationId, keyVersion])
      .catch((e: unknown) => log.warn({ err: e, integrationId }, "could not record that GitHub rejected the key"));
  }

  /** GitHub reports on an answer that this key version expires within 7 days: flagged once, with one audit event. */
  async markExpiringSoon(integrationId: string, keyVersion: number, expiresAt: Date, log: Logger): Promise<void> {
    const flagged = await this.flagExpiringSoon(this.ds.manager, integrationId, keyVersion, expiresAt, new Date()).catch((e: unknown) => {
      log.warn({ err: e, integrationId }, "could not record that the key expires soon");
      return undefined;
    });
    if (flagged) await this.changes.cardChanged(flagged.tenant_id, flagged.provider, log);
  }

  /** What the key reaches, read again: the card's reach and the search scope derived from it. */
  async storeReach(integrationId: string, keyVersion: number, reach: KeyReach, log: Logger): Promise<void> {
    const rows = (await this.ds
      .query(STORE_REACH, [JSON.stringify(reach), searchScopeOf(reach), integrationId, keyVersion])
      .catch((e: unknown) => log.warn({ err: e, integrationId }, "could not store what the key reaches"))) as CardRow[] | undefined;
    const [stored] = rows ?? [];
    if (stored) await this.changes.cardChanged(stored.tenant_id, stored.provider, log);
  }

  /** A tenant's audit trail of one provider, newest first: `limit` events older than event `beforeId` (all when absent). */
  events(tenantId: string, provider: IntegrationProvider, limit: number, beforeId?: string): Promise<IntegrationEventEntity[]> {
    const qb = this.ds
      .getRepository(IntegrationEventEntity)
      .createQueryBuilder("e")
      .where("e.tenant_id = :tenantId AND e.provider = :provider", { tenantId, provider })
      .orderBy("e.id", "DESC")
      .limit(limit);
    if (beforeId) qb.andWhere("e.id < :beforeId", { beforeId });
    return qb.getMany();
  }

  /** The integrations that have a stored credential. */
  async credentialIds(): Promise<string[]> {
    return (await this.ds.getRepository(IntegrationCredentialEntity).find({ select: { integrationId: true } })).map((c) => c.integrationId);
  }

  /**
   * Replaces one credential's ciphertext with what `rewrap` makes of it (null: leave it), in a transaction
   * that locks the integration row, so it cannot interleave with a renew or disconnect. The key version
   * does not change: the key is the same, only its wrapping is.
   */
  reseal(
    integrationId: string,
    rewrap: (sealed: SealedCredential, binding: CredentialBinding) => SealedCredential | null,
  ): Promise<"resealed" | "unchanged" | "gone"> {
    return inTransaction(this.ds, async (em) => {
      const integration = await em
        .getRepository(IntegrationEntity)
        .createQueryBuilder("i")
        .setLock("pessimistic_write")
        .where("i.id = :integrationId", { integrationId })
        .getOne();
      const credential = await em.findOneBy(IntegrationCredentialEntity, { integrationId });
      if (!integration || !credential) return "gone"; // disconnected meanwhile
      const sealed = rewrap(credential, { tenantId: integration.tenantId, integrationId, keyVersion: credential.keyVersion });
      if (!sealed) return "unchanged";
      await em.update(IntegrationCredentialEntity, { integrationId }, { ...sealed, encryptedAt: new Date() });
      return "resealed";
    });
  }

  /** The change's last statement: it takes the next number on the key change clock, which holds later changes until this one commits. */
  private announce(em: EntityManager, integration: IntegrationEntity, state: KeyState): Promise<NumberedKeyChange> {
    return this.changes.announce(em, { tenant: integration.tenantId, provider: integration.provider, integrationId: integration.id, keyVersion: integration.keyVersion, state });
  }

  private lock(em: EntityManager, tenantId: string, provider: IntegrationProvider): Promise<IntegrationEntity | null> {
    return em
      .getRepository(IntegrationEntity)
      .createQueryBuilder("i")
      .setLock("pessimistic_write")
      .where("i.tenant_id = :tenantId AND i.provider = :provider", { tenantId, provider })
      .getOne();
  }

  /** What connect and renew write on the card; the expiry warning is set by the one flag statement afterwards. */
  private cardFields(registration: KeyRegistration, actor: string, now: Date) {
    return {
      keyFingerprint: registration.keyFingerprint,
      registeredAt: now,
      registeredBy: actor,
      tokenType: registration.tokenType,
      accountLogin: registration.accountLogin,
      scopes: registration.scopes,
      expiresAt: registration.expiresAt,
      keyRejectedAt: null,
      expiryWarnedAt: null,
      searchScope: registration.searchScope,
      searchScopeRefreshedAt: now,
      keyReach: registration.keyReach,
    };
  }

  private credentialFor(integration: IntegrationEntity, registration: KeyRegistration, now: Date) {
    const sealed = registration.seal({ tenantId: integration.tenantId, integrationId: integration.id, keyVersion: integration.keyVersion });
    return { integrationId: integration.id, keyVersion: integration.keyVersion, encryptedAt: now, ...sealed };
  }

  /** A key registered with less than 7 days left is flagged at once, in the same transaction (a later use finds it already flagged). */
  private async warnIfExpiringSoon(em: EntityManager, integration: IntegrationEntity, now: Date): Promise<void> {
    if (!integration.expiresAt || !expiresSoon(integration.expiresAt, now.getTime())) return;
    if (await this.flagExpiringSoon(em, integration.id, integration.keyVersion, integration.expiresAt, now)) integration.expiryWarnedAt = now;
  }

  /** The flagged integration's tenant and provider; undefined when it was flagged already (or renewed meanwhile). */
  private async flagExpiringSoon(em: EntityManager, integrationId: string, keyVersion: number, expiresAt: Date, at: Date): Promise<CardRow | undefined> {
    const rows = (await em.query(FLAG_EXPIRING_SOON, [integrationId, keyVersion, expiresAt, at])) as CardRow[];
    return rows[0];
  }

  private async record(em: EntityManager, integration: IntegrationEntity, action: IntegrationEventAction, actor: string, at: Date): Promise<void> {
    await em.insert(IntegrationEventEntity, {
      tenantId: integration.tenantId,
      provider: integration.provider,
      integrationId: integration.id,
      action,
      actor,
      keyFingerprint: integration.keyFingerprint,
      at,
    });
  }
}
