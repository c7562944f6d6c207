import { randomBytes } from "node:crypto";
import type { EntityManager } from "typeorm";
import { IntegrationProvider, IntegrationStatus } from "../../entities/integration-enums";
import type { CurrentKey, IntegrationStore } from "../../src/integrations/integration-store";
import { LocalKeyChangeFeed, type KeyChange, type KeyChangeFeed, type NumberedKeyChange } from "../../src/integrations/key-change-feed";
import { KeyVault, type UsableKey } from "../../src/integrations/key-vault";
import { CredentialCipher } from "../../src/secrets/credential-cipher";

// The vault's memory against the changes it hears, with the store's two reads counted. What keeps "the old
// key is invalid at once" for a request in flight: a change heard ends its key at its next confirm and,
// between confirm and the socket, at `stillCurrent`.

const GITHUB = IntegrationProvider.GITHUB;
const ID = "7d1c7f1e-0000-4000-8000-000000000001";
const cipher = new CredentialCipher([{ id: "k1", key: randomBytes(32) }]);

/** A feed whose listening this test decides, and whose changes it plays. */
class TestFeed extends LocalKeyChangeFeed implements KeyChangeFeed {
  on = true;
  override listening(): boolean {
    return this.on;
  }
  play(change: KeyChange): void {
    this.dispatch({ kind: "key", change });
  }
  override async announce(_em: EntityManager, change: KeyChange): Promise<NumberedKeyChange> {
    return { ...change, seq: 1 };
  }
}

function storeWith(state: { status: IntegrationStatus; keyVersion: number; key: string } | undefined) {
  const counts = { currentKey: 0, keyState: 0 };
  let gate: Promise<void> = Promise.resolve();
  const store = {
    async currentKey(): Promise<CurrentKey | undefined> {
      counts.currentKey++;
      const seen = state && { ...state };
      await gate;
      if (!seen) return undefined;
      const integration = { id: ID, keyVersion: seen.keyVersion, accountLogin: "mona", searchScope: [], searchScopeRefreshedAt: null, expiresAt: null, expiryWarnedAt: null };
      return { status: seen.status, integration, credential: { keyVersion: seen.keyVersion, sealed: cipher.seal(seen.key, { tenantId: "acme", integrationId: ID, keyVersion: seen.keyVersion }) } };
    },
    async keyState() {
      counts.keyState++;
      return state && { status: state.status, keyVersion: state.keyVersion };
    },
  };
  return {
    store: store as unknown as IntegrationStore,
    counts,
    set: (next: typeof state) => (state = next),
    /** Holds reads until released, to land a change in the middle of one. */
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
  };
}

const codeOf = (f: () => unknown): unknown => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
};

describe("KeyVault's memory", () => {
  const active = (keyVersion: number, key = `key-${keyVersion}`) => ({ status: IntegrationStatus.ACTIVE, keyVersion, key });
  const change = (state: KeyChange["state"], keyVersion = 1): KeyChange => ({ tenant: "acme", provider: GITHUB, integrationId: ID, keyVersion, state });

  it("reads the database once, then hands out the key and confirms it from memory while listening", async () => {
    const feed = new TestFeed();
    const s = storeWith(active(1));
    const vault = new KeyVault(s.store, cipher, feed);
    for (let i = 0; i < 5; i++) {
      const usable = await vault.usableKey("acme", GITHUB);
      await usable.confirm();
      expect(usable.key).toBe("key-1");
    }
    expect(s.counts).toEqual({ currentKey: 1, keyState: 0 });
  });

  it("not listening: every request reads, every confirm asks the database", async () => {
    const feed = new TestFeed();
    feed.on = false;
    const s = storeWith(active(1));
    const vault = new KeyVault(s.store, cipher, feed);
    for (let i = 0; i < 3; i++) await (await vault.usableKey("acme", GITHUB)).confirm();
    expect(s.counts).toEqual({ currentKey: 3, keyState: 3 });
  });

  it.each([
    ["renewed", change("ACTIVE", 2), active(2), "CONFLICT"],
    ["deactivated", change("INACTIVE"), { ...active(1), status: IntegrationStatus.INACTIVE }, "INTEGRATION_INACTIVE"],
    ["disconnected", change("REMOVED"), undefined, "INTEGRATION_NOT_CONNECTED"],
  ] as const)("a request in flight whose key was %s: stillCurrent refuses at once, confirm asks the database and refuses", async (_what, heard, after, code) => {
    const feed = new TestFeed();
    const s = storeWith(active(1));
    const vault = new KeyVault(s.store, cipher, feed);
    const usable: UsableKey = await vault.usableKey("acme", GITHUB);
    await usable.confirm();
    expect(codeOf(usable.stillCurrent)).toBeUndefined();
    s.set(after);
    feed.play(heard);
    expect(codeOf(usable.stillCurrent)).toBe(code);
    await expect(usable.confirm()).rejects.toMatchObject({ code });
    expect(s.counts.keyState).toBe(1);
  });

  it("deactivated then activated while a request ran: its next confirm asks the database, which lets it go on", async () => {
    const feed = new TestFeed();
    const s = storeWith(active(1));
    const vault = new KeyVault(s.store, cipher, feed);
    const usable = await vault.usableKey("acme", GITHUB);
    feed.play(change("INACTIVE"));
    feed.play(change("ACTIVE"));
    expect(codeOf(usable.stillCurrent)).toBe("INTEGRATION_INACTIVE");
    await usable.confirm();
    expect(codeOf(usable.stillCurrent)).toBeUndefined();
  });

  it("a read that a change overtook is used once but not kept: the next request reads again", async () => {
    const feed = new TestFeed();
    const s = storeWith(active(1));
    const vault = new KeyVault(s.store, cipher, feed);
    const release = s.hold();
    const first = vault.usableKey("acme", GITHUB);
    s.set(active(2));
    feed.play(change("ACTIVE", 2));
    release();
    const stale = await first;
    expect(stale.key).toBe("key-1");
    // Not kept, so no change can reach it: its confirm goes to the database.
    await expect(stale.confirm()).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await vault.usableKey("acme", GITHUB)).key).toBe("key-2");
    expect(s.counts.currentKey).toBe(2);
  });

  it("requests that arrive after a change do not join a read that began before it", async () => {
    const feed = new TestFeed();
    const s = storeWith(active(1));
    const vault = new KeyVault(s.store, cipher, feed);
    const release = s.hold();
    const before = vault.usableKey("acme", GITHUB);
    const alongside = vault.usableKey("acme", GITHUB);
    s.set(active(2));
    feed.play(change("ACTIVE", 2));
    const after = vault.usableKey("acme", GITHUB);
    release();
    expect((await before).key).toBe("key-1");
    expect((await alongside).key).toBe("key-1");
    expect((await after).key).toBe("key-2");
    expect(s.counts.currentKey).toBe(2);
  });

  it("listening lapsed and came back (a new epoch): what was kept before is read again", async () => {
    const feed = new TestFeed();
    const s = storeWith(active(1));
    const vault = new KeyVault(s.store, cipher, feed);
    const usable = await vault.usableKey("acme", GITHUB);
    (feed as unknown as { epoch: number }).epoch = 1;
    await usable.confirm();
    expect(s.counts.keyState).toBe(1);
    await vault.usableKey("acme", GITHUB);
    expect(s.counts.currentKey).toBe(2);
  });
});
