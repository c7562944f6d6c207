import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Client } from "pg";
import type { DataSource, EntityManager } from "typeorm";
import { IntegrationProvider } from "../../entities/integration-enums";
import { ErrorCode, GatewayError } from "../errors";
import type { Logger } from "../logger";
import type { GatewayMetrics } from "../observability/metrics";

/** What a lifecycle change left: the key version and whether it may be used; REMOVED after a disconnect. */
export type KeyState = "ACTIVE" | "INACTIVE" | "REMOVED";

export interface KeyChange {
  tenant: string;
  provider: IntegrationProvider;
  integrationId: string;
  keyVersion: number;
  state: KeyState;
}

/** A change as committed: its number on the key change clock. */
export type NumberedKeyChange = KeyChange & { seq: number };

/** What an instance hears: a lifecycle change (the key or its use changed), or a card write-back (scope, expiry) that leaves the key as it was. */
export type Heard = { kind: "key"; change: KeyChange } | { kind: "card"; tenant: string; provider: IntegrationProvider };

/**
 * How instances learn of key changes, so that they may keep a workspace's key in memory (KeyVault) and
 * still keep the promise that once a renew, deactivate or disconnect answers, no instance sends the old key.
 * The design, in three parts:
 *  - each change takes the next number of `key_change_clock` in its transaction (the row lock also puts
 *    the numbers in commit order) and is announced with `pg_notify` on commit;
 *  - each instance LISTENs on one connection of its own, forgets what a change touches the moment it hears
 *    it, then records the number heard in its `gateway_instance` row, whose lease it renews on that same
 *    connection;
 *  - the change's mutation answers once no instance with a live lease has heard less (`heardEverywhere`).
 * An instance trusts its memory only while its own lease holds by its own monotonic clock, measured from
 * before the renewal was sent, so it stops trusting before PostgreSQL's copy of the lease ends: an
 * instance that is cut off, stalled or slow reads the key on every request instead, and a change never
 * waits longer than about one lease for it. PostgreSQL delivers notifications in commit order.
 */
export interface KeyChangeFeed {
  /** True while this instance hears every change before the change answers: what it keeps in memory may be used. */
  listening(): boolean;
  /** Goes up whenever listening stopped or lapsed: what was kept before may have missed a change. */
  readonly epoch: number;
  subscribe(listener: (heard: Heard) => void): void;
  /** Inside a lifecycle change's transaction, as its last statement: numbers it and announces it on commit. */
  announce(em: EntityManager, change: KeyChange): Promise<NumberedKeyChange>;
  /** After the commit: this instance forgets at once; resolves when every live instance has heard it. */
  settle(change: NumberedKeyChange): Promise<void>;
  /** A write-back changed what the card shows but not the key: instances drop their copy of it. */
  cardChanged(tenant: string, provider: IntegrationProvider, log: Logger): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const KEY_CHANGE_CHANNEL = "connector_gateway_key_changes";

/** A SELECT around the UPDATE: TypeORM hands back an UPDATE's rows beside its count, a SELECT's alone (as on PGlite). */
const NEXT_CHANGE = `WITH next AS (UPDATE "key_change_clock" SET "seq" = "seq" + 1 WHERE "id" = 1 RETURNING "seq") SELECT "seq" FROM next`;
const ANNOUNCE = `SELECT pg_notify('${KEY_CHANGE_CHANNEL}', $1)`;

/** The number read here has committed: the clock's row is updated in the changes' own transactions. */
const REGISTER = `
  INSERT INTO "gateway_instance" ("id", "lease_until", "heard_change")
  SELECT $1, now() + $2 * interval '1 millisecond', "seq" FROM "key_change_clock" WHERE "id" = 1
  ON CONFLICT ("id") DO UPDATE SET "lease_until" = EXCLUDED."lease_until", "heard_change" = EXCLUDED."heard_change"
  RETURNING "heard_change"`;
const RENEW = `UPDATE "gateway_instance" SET "lease_until" = now() + $2 * interval '1 millisecond', "heard_change" = greatest("heard_change", $3) WHERE "id" = $1 RETURNING "id"`;
const LEAVE = `DELETE FROM "gateway_instance" WHERE "id" = $1`;
/** Rows of instances that stopped without leaving; their leases ended long ago. */
const SWEEP = `DELETE FROM "gateway_instance" WHERE "lease_until" < now() - interval '1 hour'`;
const NOT_YET_HEARD = `SELECT count(*)::int AS "waiting" FROM "gateway_instance" WHERE "lease_until" > now() AND "heard_change" < $1`;

const PROVIDERS = new Set<string>(Object.values(IntegrationProvider));
const STATES = new Set<string>(["ACTIVE", "INACTIVE", "REMOVED"]);

/** A notification's payload, checked: anyone who may connect to the database may NOTIFY on the channel. */
export function parseHeard(payload: string | undefined): { heard: Heard; seq?: number } | undefined {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(payload ?? "") as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof m !== "object" || m === null || typeof m.tenant !== "string" || typeof m.provider !== "string" || !PROVIDERS.has(m.provider)) return undefined;
  const provider = m.provider as IntegrationProvider;
  if (m.kind === "card") return { heard: { kind: "card", tenant: m.tenant, provider } };
  if (m.kind !== "key" || typeof m.integrationId !== "string" || !Number.isSafeInteger(m.keyVersion) || !STATES.has(String(m.state)) || !Number.isSafeInteger(m.seq)) return undefined;
  const change: KeyChange = { tenant: m.tenant, provider, integrationId: m.integrationId, keyVersion: m.keyVersion as number, state: m.state as KeyState };
  return { heard: { kind: "key", change }, seq: m.seq as number };
}

/** The numbering and announcing both kinds share; the difference is who else is listening. */
abstract class FeedBase implements KeyChangeFeed {
  private readonly listeners: ((heard: Heard) => void)[] = [];
  abstract readonly epoch: number;
  abstract listening(): boolean;
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  abstract settle(change: NumberedKeyChange): Promise<void>;
  abstract cardChanged(tenant: string, provider: IntegrationProvider, log: Logger): Promise<void>;

  subscribe(listener: (heard: Heard) => void): void {
    this.listeners.push(listener);
  }

  async announce(em: EntityManager, change: KeyChange): Promise<NumberedKeyChange> {
    const [row] = (await em.query(NEXT_CHANGE)) as { seq: string }[];
    if (!row) throw new Error("key_change_clock has no row: were the migrations applied?");
    const numbered = { ...change, seq: Number(row.seq) };
    await em.query(ANNOUNCE, [JSON.stringify({ kind: "key", ...numbered })]);
    return numbered;
  }

  protected dispatch(heard: Heard): void {
    for (const listener of this.listeners) listener(heard);
  }
}

/**
 * Embedded PGlite: one process owns the data directory (data-dir-lock.ts), so this instance is the only
 * one; it hears its own changes by being told, and nothing waits on anyone else.
 */
export class LocalKeyChangeFeed extends FeedBase {
  readonly epoch = 0;
  listening(): boolean {
    return true;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async settle(change: NumberedKeyChange): Promise<void> {
    this.dispatch({ kind: "key", change });
  }
  async cardChanged(tenant: string, provider: IntegrationProvider): Promise<void> {
    this.dispatch({ kind: "card", tenant, provider });
  }
}

export interface PostgresFeedOptions {
  databaseUrl: string;
  /** KEY_CHANGE_LEASE_MS. */
  leaseMs: number;
  /** For the ack wait and card announcements: the gateway's own pool. */
  dataSource: DataSource;
  log: Logger;
  metrics: GatewayMetrics;
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;
const SETTLE_POLL_MAX_MS = 25;

/** PostgreSQL shared by any number of instances: LISTEN, a lease, and an acknowledgement per change. */
export class PostgresKeyChangeFeed extends FeedBase {
  readonly id = randomUUID();
  /** Its listening connection's name in pg_stat_activity (PostgreSQL keeps 63 bytes of it). */
  readonly applicationName = `cg-key-changes ${this.id}`;
  epoch = 0;
  private client?: Client;
  /** performance.now() until which this instance may trust its memory; 0 while not listening. */
  private trustedUntil = 0;
  private heardSeq = 0;
  private renewing?: Promise<void>;
  private renewAgain = false;
  private timer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectMs = RECONNECT_MIN_MS;
  private stopped = false;
  private lostLogged = false;

  constructor(private readonly o: PostgresFeedOptions) {
    super();
  }

  /** Renewed three times a lease, so one slow renewal does not end the trust. */
  private get renewEveryMs(): number {
    return Math.floor(this.o.leaseMs / 3);
  }

  /** The part of the lease this instance trusts: it ends before PostgreSQL's copy, whatever the two clocks say. */
  private get trustMs(): number {
    return Math.floor(this.o.leaseMs * 0.8);
  }

  listening(): boolean {
    return this.trustedUntil > performance.now();
  }

  /** Started at start-up; the gateway serves even when this fails, reading keys per request until it succeeds. */
  async start(): Promise<void> {
    await this.o.dataSource.query(SWEEP).catch((e: unknown) => this.o.log.warn({ err: e }, "could not sweep old gateway_instance rows"));
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.reconnectTimer);
    this.stopTrusting();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // Leaving at once, so no change waits out this instance's lease.
    await client.query(LEAVE, [this.id]).catch((e: unknown) => this.o.log.warn({ err: e }, "could not remove this instance's gateway_instance row"));
    await client.end().catch(() => undefined); // already closing
  }

  async settle(change: NumberedKeyChange): Promise<void> {
    this.dispatch({ kind: "key", change });
    // Every live instance renews within a lease; one that does not has stopped trusting its memory by then.
    const giveUpAt = Date.now() + 2 * this.o.leaseMs;
    for (let pause = 1; ; pause = Math.min(pause * 2, SETTLE_POLL_MAX_MS)) {
      const [row] = (await this.o.dataSource.query(NOT_YET_HEARD, [change.seq])) as { waiting: number }[];
      if (!row || row.waiting === 0) return;
      if (Date.now() > giveUpAt) {
        throw new GatewayError(
          ErrorCode.INTERNAL_SERVER_ERROR,
          `The change is saved, but ${row.waiting} gateway instance(s) have not confirmed that they stopped using the old key; check the instances' logs before relying on it.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  async cardChanged(tenant: string, provider: IntegrationProvider, log: Logger): Promise<void> {
    this.dispatch({ kind: "card", tenant, provider });
    await this.o.dataSource
      .query(ANNOUNCE, [JSON.stringify({ kind: "card", tenant, provider })])
      .catch((e: unknown) => log.warn({ err: e }, "could not tell other instances that the card changed; they re-read it within a minute"));
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.o.databaseUrl,
      application_name: this.applicationName,
      connectionTimeoutMillis: this.o.leaseMs,
      // A link gone silent: the renewal fails within a lease and the connection is replaced.
      query_timeout: this.o.leaseMs,
    });
    client.on("notification", (m) => this.heard(m.payload));
    client.on("error", (e) => this.lost(client, e));
    client.on("end", () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${KEY_CHANGE_CHANNEL}`);
      const sent = performance.now();
      const { rows } = await client.query<{ heard_change: string }>(REGISTER, [this.id, this.o.leaseMs]);
      if (this.client !== client) return;
      this.heardSeq = Math.max(this.heardSeq, Number(rows[0]?.heard_change ?? 0));
      // Nothing kept from before this connection counts: changes may have passed unheard.
      this.epoch++;
      this.trust(sent);
      this.reconnectMs = RECONNECT_MIN_MS;
      if (this.lostLogged) this.o.log.info({ instance: this.id }, "hearing key changes again: workspace keys are kept in memory");
      this.lostLogged = false;
      clearInterval(this.timer);
      this.timer = setInterval(() => void this.renew(), this.renewEveryMs);
      this.timer.unref();
    } catch (e) {
      this.lost(client, e as Error);
    }
  }

  private heard(payload: string | undefined): void {
    const parsed = parseHeard(payload);
    if (!parsed) {
      // Not ours: whoever sent it, what is kept may no longer be trusted to be complete.
      this.o.log.warn({ channel: KEY_CHANGE_CHANNEL }, "a notification on the key change channel could not be read; keys are read again");
      this.epoch++;
      return;
    }
    this.dispatch(parsed.heard);
    if (parsed.seq !== undefined && parsed.seq > this.heardSeq) {
      this.heardSeq = parsed.seq;
      void this.renew();
    }
  }

  /** Renews the lease and records the last change heard; one at a time, once more if asked meanwhile. */
  private renew(): Promise<void> {
    if (this.renewing) {
      this.renewAgain = true;
      return this.renewing;
    }
    const client = this.client;
    if (!client || !this.trustedUntil) return Promise.resolve();
    const sent = performance.now();
    const heard = this.heardSeq;
    this.renewing = client
      .query(RENEW, [this.id, this.o.leaseMs, heard])
      .then(async ({ rowCount }) => {
        if (this.client !== client) return;
        // The row was swept while this instance stalled for over an hour: register again, as at start.
        if (rowCount === 0) await client.query(REGISTER, [this.id, this.o.leaseMs]);
        // Lapsed before this renewal came back: a change may have answered without waiting for this instance.
        if (!this.listening()) this.epoch++;
        this.trust(sent);
      })
      .catch((e: Error) => this.lost(client, e))
      .finally(() => {
        this.renewing = undefined;
        if (this.renewAgain) {
          this.renewAgain = false;
          void this.renew();
        }
      });
    return this.renewing;
  }

  private trust(sentAt: number): void {
    this.trustedUntil = sentAt + this.trustMs;
    this.o.metrics.keyChangesHeard.set(1);
  }

  private stopTrusting(): void {
    this.trustedUntil = 0;
    this.epoch++;
    this.o.metrics.keyChangesHeard.set(0);
  }

  /** The channel is gone: read keys per request from now on, and reconnect with backoff. */
  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    clearInterval(this.timer);
    this.stopTrusting();
    client.end().catch(() => undefined); // already broken
    if (this.stopped) return;
    if (!this.lostLogged) this.o.log.warn({ err, instance: this.id }, "not hearing key changes: workspace keys are read on every request until PostgreSQL is back");
    this.lostLogged = true;
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectMs);
    this.reconnectTimer.unref();
    this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
  }
}
