import { conflict, ErrorCode, GatewayError } from "../errors";
import type { GatewayMetrics } from "../observability/metrics";
import type { CredentialCipher } from "../secrets/credential-cipher";
import { IntegrationProvider, IntegrationStatus } from "../../entities/integration-enums";
import { inactive, notConnected } from "./integration-errors";
import type { CurrentKey, IntegrationStore } from "./integration-store";
import type { Heard, KeyChange, KeyChangeFeed } from "./key-change-feed";

/** What a request needs of its tenant's integration to use GitHub. */
export interface ActiveIntegration {
  id: string;
  keyVersion: number;
  /** The GitHub account the key belongs to (the one owner an unscoped search always includes). */
  accountLogin: string;
  searchScope: string[];
  searchScopeRefreshedAt: Date | null;
  expiresAt: Date | null;
  /** Set once the gateway has recorded that this key version expires within 7 days. */
  expiryWarnedAt: Date | null;
}

/** An integration that may be used right now, with its decrypted key. Never handed to a formatter or a log. */
export interface UsableKey {
  integration: ActiveIntegration;
  key: string;
  /**
   * Throws unless this is still the integration's current key and the integration is still active. The
   * GitHub gate awaits it right before every attempt: from memory while key changes are heard, else from
   * the database.
   */
  confirm(): Promise<void>;
  /**
   * The last check, synchronous, as the request is handed to the socket (github-http.ts): throws if a change
   * heard since the last `confirm` ended this key. Between it and the socket nothing else runs, so a change
   * this instance has heard (and acknowledged) never sees its old key sent.
   */
  stillCurrent(): void;
}

/** What one read of the database said of a workspace's integration, kept while changes are heard. */
interface Snapshot {
  stored: CurrentKey | undefined;
  /** The decrypted key, when the integration is active. */
  key?: string;
  /** While true, a change to this integration reaches this snapshot: its `ended` is then set. */
  watched: boolean;
  epoch: number;
  readAt: number;
  /** The change heard that ended this key, and when (the vault's count of changes heard). */
  ended?: { change: KeyChange; at: number };
}

const MAX_CACHED_KEYS = 10_000;
/**
 * A snapshot is read again after this long even with nothing heard: a card write-back whose announcement
 * was lost (cardChanged) leaves a stale search scope or expiry for no longer than this; never the key.
 */
const SNAPSHOT_MAX_AGE_MS = 60_000;

const slot = (tenantId: string, provider: IntegrationProvider) => `${provider}:${tenantId}`;

/**
 * Hands out a tenant's current key. While the instance hears every key change (KeyChangeFeed), it keeps
 * what it read per workspace in memory and answers without the database; a change it hears drops the
 * workspace's snapshot and ends the key for requests in flight. While it does not, every request reads the
 * integration and its credential, and every attempt confirms against the database. The decryption is
 * cached by integration and key version either way.
 */
export class KeyVault {
  private readonly cache = new Map<string, { keyVersion: number; key: string }>();
  private readonly snapshots = new Map<string, Snapshot>();
  /** Reads under way, for requests that arrive meanwhile with nothing heard since the read began. */
  private readonly reading = new Map<string, { at: number; done: Promise<Snapshot> }>();
  /** How many changes this instance has heard: a read that saw this number change may have read before one. */
  private heardCount = 0;

  constructor(
    private readonly store: IntegrationStore,
    private readonly cipher: CredentialCipher,
    private readonly feed: KeyChangeFeed,
    private readonly metrics?: GatewayMetrics,
  ) {
    feed.subscribe((heard) => this.heard(heard));
  }

  async usableKey(tenantId: string, provider: IntegrationProvider): Promise<UsableKey> {
    const at = slot(tenantId, provider);
    let snapshot = this.snapshots.get(at);
    if (snapshot && this.trusted(snapshot) && Date.now() - snapshot.readAt < SNAPSHOT_MAX_AGE_MS) {
      this.metrics?.keyReads.inc({ source: "memory" });
    } else {
      snapshot = await this.read(tenantId, provider);
    }
    const { stored, key } = snapshot;
    if (!stored) throw notConnected(provider);
    if (stored.status !== IntegrationStatus.ACTIVE) throw inactive(provider);
    return this.usable(snapshot, stored.integration, key as string, provider);
  }

  /** One read of the database, shared by the requests that arrive while it runs and nothing is heard. */
  private read(tenantId: string, provider: IntegrationProvider): Promise<Snapshot> {
    const at = slot(tenantId, provider);
    const under = this.reading.get(at);
    if (under && under.at === this.heardCount) return under.done;
    const heardBefore = this.heardCount;
    const epoch = this.feed.epoch;
    const listening = this.feed.listening();
    const done = this.store.currentKey(tenantId, provider).then((stored) => {
      this.metrics?.keyReads.inc({ source: "database" });
      const snapshot: Snapshot = { stored, key: stored && this.open(tenantId, stored), watched: false, epoch, readAt: Date.now() };
      // Kept only if nothing was heard while it was read: a change committed meanwhile may predate the read's answer.
      if (listening && this.heardCount === heardBefore && this.feed.epoch === epoch && this.feed.listening()) this.keep(at, snapshot);
      return snapshot;
    });
    this.reading.set(at, { at: heardBefore, done });
    const forget = () => {
      if (this.reading.get(at)?.done === done) this.reading.delete(at);
    };
    done.then(forget, forget);
    return done;
  }

  /** The decrypted key of an active integration; undefined when not active. */
  private open(tenantId: string, stored: CurrentKey): string | undefined {
    if (stored.status !== IntegrationStatus.ACTIVE) return undefined;
    const { integration, credential } = stored;
    const cached = this.cache.get(integration.id);
    if (cached?.keyVersion === integration.keyVersion) return cached.key;
    if (!credential || credential.keyVersion !== integration.keyVersion) {
      // Both rows change in one transaction, so this is a damaged database, not a race.
      throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The stored key does not match its integration; an admin can renew it.");
    }
    let key: string;
    try {
      key = this.cipher.open(credential.sealed, { tenantId, integrationId: integration.id, keyVersion: integration.keyVersion });
    } catch (e) {
      // Logged by the error formatter with its cause; the caller learns what an admin can do about it.
      throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The stored key cannot be decrypted (were CREDENTIAL_KEYS changed?); an admin can renew it.", {}, e);
    }
    this.cache.delete(integration.id);
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(integration.id, { keyVersion: integration.keyVersion, key });
    return key;
  }

  /** Forgets what this instance holds of an integration, decrypted key included: the next request reads it again. */
  forget(integrationId: string): void {
    this.cache.delete(integrationId);
    for (const [at, snapshot] of this.snapshots) if (snapshot.stored?.integration.id === integrationId) this.drop(at);
  }

  private trusted(snapshot: Snapshot): boolean {
    return snapshot.watched && snapshot.epoch === this.feed.epoch && this.feed.listening();
  }

  private keep(at: string, snapshot: Snapshot): void {
    this.drop(at);
    if (this.snapshots.size >= MAX_CACHED_KEYS) this.drop(this.snapshots.keys().next().value as string);
    snapshot.watched = true;
    this.snapshots.set(at, snapshot);
  }

  /** Out of the map, a snapshot hears nothing more: requests holding it confirm with the database from now on. */
  private drop(at: string): Snapshot | undefined {
    const snapshot = this.snapshots.get(at);
    if (!snapshot) return undefined;
    this.snapshots.delete(at);
    snapshot.watched = false;
    return snapshot;
  }

  private heard(heard: Heard): void {
    this.heardCount++;
    const { tenant, provider } = heard.kind === "key" ? heard.change : heard;
    const snapshot = this.drop(slot(tenant, provider));
    if (heard.kind === "key") {
      this.cache.delete(heard.change.integrationId);
      const kept = snapshot?.stored?.integration;
      if (snapshot && kept && endsKey(heard.change, kept.id, kept.keyVersion)) snapshot.ended = { change: heard.change, at: this.heardCount };
    }
  }

  /**
   * Throws unless the key a request loaded is still the integration's key and the integration is still
   * active. The gate calls it before every upstream call, because a request may outlive the renew,
   * deactivate or disconnect another instance commits while it runs (a thread read pages for seconds).
   */
  private async confirm(snapshot: Snapshot, integration: ActiveIntegration, provider: IntegrationProvider): Promise<number> {
    const now = this.heardCount;
    if (this.trusted(snapshot)) return now;
    const state = await this.store.keyState(integration.id);
    if (!state) throw notConnected(provider);
    if (state.status !== IntegrationStatus.ACTIVE) throw inactive(provider);
    if (state.keyVersion !== integration.keyVersion) throw renewed();
    return now;
  }

  private usable(snapshot: Snapshot, integration: ActiveIntegration, key: string, provider: IntegrationProvider): UsableKey {
    // How many changes had been heard when this request last confirmed its key: one heard later that ends it stops the request.
    let confirmedAt = this.heardCount;
    return {
      integration,
      key,
      confirm: async () => {
        confirmedAt = await this.confirm(snapshot, integration, provider);
      },
      stillCurrent: () => {
        const ended = snapshot.ended;
        if (ended && ended.at > confirmedAt) throw errorFor(ended.change, provider);
      },
    };
  }
}

const renewed = () => conflict("The workspace's GitHub key was renewed while this request ran; nothing more was sent with the old key. Send the request again.");

/** Whether a change leaves the key `keyVersion` of integration `id` unusable. */
function endsKey(change: KeyChange, id: string, keyVersion: number): boolean {
  return change.integrationId !== id || change.state !== "ACTIVE" || change.keyVersion !== keyVersion;
}

function errorFor(change: KeyChange, provider: IntegrationProvider): GatewayError {
  if (change.state === "REMOVED") return notConnected(provider);
  if (change.state === "INACTIVE") return inactive(provider);
  return renewed();
}
