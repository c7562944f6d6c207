import { classicKey } from "../support/keys";
import { codeOf, startHarness, type GraphQLResult, type Harness } from "../support/harness";
import { Card, Connect, Disconnect, Events, Renew, Toggle, Viewer, type CardShape, type EventShape } from "../support/operations";
import type { EmulatorKey } from "../../github-emulator";

const TENANT = "storm";
const LOGIN = "octo-storm";

/** Keys with distinct fingerprints (the last 4 characters), so every event names exactly one key. */
function distinctKeys(n: number): EmulatorKey[] {
  const keys: EmulatorKey[] = [];
  while (keys.length < n) {
    const k = classicKey(LOGIN);
    if (!keys.some((x) => x.token.slice(-4) === k.token.slice(-4))) keys.push(k);
  }
  return keys;
}
const [initialKey, ...pool] = distinctKeys(7);
const keyByFingerprint = (fp: string) => [initialKey, ...pool].find((k) => k.token.slice(-4) === fp);

type Kind = "renew" | "activate" | "deactivate" | "disconnect" | "connect";
interface Op {
  kind: Kind;
  actor: string;
  key?: EmulatorKey;
}

// 100 mutations: 50 renews over 6 keys, 40 toggles (half each way), 5 disconnects and 5 connects,
// all sent at once. The disconnects and connects are sent last: a disconnect needs no GitHub call, so
// sent early it commits before any renew has checked its key, and the rest of the storm only meets
// INTEGRATION_NOT_CONNECTED. Sent last, renews, toggles, disconnects and connects interleave (typically
// 20-30 events with every action).
const DISCONNECT_AT = new Set([60, 72, 84, 91, 97]);
const CONNECT_AT = new Set([66, 78, 88, 94, 99]);
const ops: Op[] = [];
for (let i = 0, other = 0; i < 100; i++) {
  const actor = `storm-${i}`;
  if (DISCONNECT_AT.has(i)) ops.push({ kind: "disconnect", actor });
  else if (CONNECT_AT.has(i)) ops.push({ kind: "connect", actor, key: pool[i % pool.length] });
  else if (other++ % 9 < 5) ops.push({ kind: "renew", actor, key: pool[i % pool.length] });
  else ops.push({ kind: other % 2 === 0 ? "activate" : "deactivate", actor });
}

/** The contract's codes for losing a race; anything else (INTERNAL_SERVER_ERROR above all) fails the test. */
const CONTRACT_FAILURES = ["CONFLICT", "INTEGRATION_NOT_CONNECTED", "INTEGRATION_ALREADY_CONNECTED"];
const ACTION_OF: Record<Kind, string> = { renew: "RENEWED", connect: "CONNECTED", disconnect: "DISCONNECTED", activate: "ACTIVATED", deactivate: "DEACTIVATED" };

type State = { status: "ACTIVE" | "INACTIVE"; fingerprint: string } | null;

/** Replays the trail oldest first from `start`; throws at the first event that could not have happened (a toggle that changed nothing, a key event while disconnected, ...). */
function replay(start: State, events: EventShape[]): State {
  let state = start;
  for (const e of events) {
    const where = `event ${e.id} (${e.action} by ${e.actor})`;
    if (e.action === "CONNECTED") {
      if (state) throw new Error(`${where}: connected while already connected`);
      state = { status: "ACTIVE", fingerprint: e.keyFingerprint! };
      continue;
    }
    if (!state) throw new Error(`${where}: while not connected`);
    if (e.action === "RENEWED") state = { ...state, fingerprint: e.keyFingerprint! };
    else if (e.keyFingerprint !== state.fingerprint) throw new Error(`${where}: names key ${e.keyFingerprint}, the current one is ${state.fingerprint}`);
    else if (e.action === "DISCONNECTED") state = null;
    else if (e.action === "DEACTIVATED" && state.status === "ACTIVE") state = { ...state, status: "INACTIVE" };
    else if (e.action === "ACTIVATED" && state.status === "INACTIVE") state = { ...state, status: "ACTIVE" };
    else throw new Error(`${where}: changes nothing from ${state.status}`);
  }
  return state;
}

describe("a storm of 100 concurrent lifecycle mutations over two instances", () => {
  let a: Harness;
  let b: Harness;
  let setup: string;
  let first: EventShape;
  let results: GraphQLResult<Record<string, CardShape>>[];
  let trail: EventShape[]; // the storm's events, oldest first
  const instances = () => [a, b] as const;
  const ok = (i: number) => results[i].body.errors === undefined;

  async function allEvents(h: Harness, token: string, pageSize: number): Promise<EventShape[]> {
    const nodes: EventShape[] = [];
    let after: string | null = null;
    for (;;) {
      type Page = { integrationEvents: { nodes: EventShape[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      const r: GraphQLResult<Page> = await h.gql<Page>(token, Events, { first: pageSize, after });
      expect(r.body.errors).toBeUndefined();
      const page = r.body.data!.integrationEvents;
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return nodes;
      after = page.pageInfo.endCursor;
    }
  }

  beforeAll(async () => {
    const env = { TENANT_RATE_LIMIT_PER_MINUTE: "100000" };
    a = await startHarness({ database: "postgres", keys: [initialKey, ...pool], env });
    b = await startHarness({ database: "postgres", shareWith: a, env });
    setup = await a.token(TENANT, "admin", "setup");
    expect((await a.gql(setup, Connect, { token: initialKey.token })).body.errors).toBeUndefined();
    // Both instances decrypt and cache the first key version before the storm.
    for (const h of instances()) expect((await h.gql(setup, Viewer)).body.errors).toBeUndefined();
    [first] = await allEvents(a, setup, 100);

    const tokens = await Promise.all(ops.map((op, i) => instances()[i % 2].token(TENANT, "admin", op.actor)));
    const send = (op: Op, i: number): Promise<GraphQLResult<Record<string, CardShape>>> => {
      const h = instances()[i % 2];
      switch (op.kind) {
        case "renew": return h.gql(tokens[i], Renew, { token: op.key!.token });
        case "connect": return h.gql(tokens[i], Connect, { token: op.key!.token });
        case "disconnect": return h.gql(tokens[i], Disconnect);
        default: return h.gql(tokens[i], Toggle, { active: op.kind === "activate" });
      }
    };
    results = await Promise.all(ops.map(send));

    const viaA = await allEvents(a, setup, 100);
    // The trail, read through the other instance with another page size, is the same.
    expect((await allEvents(b, await b.token(TENANT, "admin", "reader"), 7)).map((e) => e.id)).toEqual(viaA.map((e) => e.id));
    trail = viaA.filter((e) => BigInt(e.id) > BigInt(first.id)).reverse();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it("every mutation succeeded or failed with a contract code, never a 500 or an internal error", () => {
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.errors?.length ?? 0).toBeLessThanOrEqual(1);
      expect(["OK", ...CONTRACT_FAILURES]).toContain(codeOf(r) ?? "OK");
    }
    // No answer and no log line carries a key.
    const written = JSON.stringify(results) + instances().flatMap((h) => h.logs).join("");
    for (const k of [initialKey, ...pool]) expect(written).not.toContain(k.token);
    // An answer that succeeded shows what that mutation asked for.
    ops.forEach((op, i) => {
      if (!ok(i)) return;
      const card = Object.values(results[i].body.data!)[0];
      if (op.key) expect(card.keyFingerprint).toBe(op.key.token.slice(-4));
      if (op.kind === "activate" || op.kind === "deactivate") expect(card.status).toBe(op.kind === "activate" ? "ACTIVE" : "INACTIVE");
    });
  });

  it("the audit trail has exactly one event per mutation that took effect, and none for the others", () => {
    // Each event belongs to one mutation (its actor) that answered OK, and says what that mutation did.
    const byActor = new Map(ops.map((op, i) => [op.actor, i]));
    expect(new Set(trail.map((e) => e.actor)).size).toBe(trail.length);
    for (const e of trail) {
      const i = byActor.get(e.actor)!;
      expect(i).toBeDefined();
      expect(ok(i)).toBe(true);
      expect(e.action).toBe(ACTION_OF[ops[i].kind]);
      if (ops[i].key) expect(e.keyFingerprint).toBe(ops[i].key!.token.slice(-4));
    }
    // Every connect, renew and disconnect that answered OK took effect. A toggle answers OK with the
    // card whether or not it changed anything; the service logs "integration toggled" only when it did.
    const toggled = instances()
      .flatMap((h) => h.logs.map((l) => JSON.parse(l) as { msg: string; actor?: string }))
      .filter((l) => l.msg === "integration toggled" && l.actor?.startsWith("storm-"))
      .map((l) => l.actor!);
    const tookEffect = ops.filter((op, i) => ok(i) && (op.kind === "renew" || op.kind === "connect" || op.kind === "disconnect" || toggled.includes(op.actor)));
    expect(trail.length).toBe(tookEffect.length);
    expect(trail.map((e) => e.actor).sort()).toEqual(tookEffect.map((op) => op.actor).sort());
  });

  it("the trail tells a possible story, and its end is what both instances and the database hold", async () => {
    const final = replay({ status: "ACTIVE", fingerprint: initialKey.token.slice(-4) }, trail);
    const lastKeyEvent = [first, ...trail].filter((e) => e.action === "CONNECTED" || e.action === "RENEWED").at(-1)!;
    for (const h of instances()) {
      const card = (await h.gql<{ integration: CardShape | null }>(setup, Card)).body.data?.integration;
      if (!final) {
        expect(card).toBeNull();
        expect(trail.at(-1)?.action).toBe("DISCONNECTED");
      } else {
        expect(card).toEqual(expect.objectContaining({ status: final.status, keyFingerprint: final.fingerprint }));
        expect(card?.keyFingerprint).toBe(lastKeyEvent.keyFingerprint);
      }
    }
    // At most one integration and one credential row, in step, and no renew lost.
    const ds = a.gateway.dataSource;
    const integrations: { id: string; key_version: number }[] = await ds.query(`SELECT id, key_version FROM integration WHERE tenant_id = $1`, [TENANT]);
    const credentials: { integration_id: string; key_version: number }[] = await ds.query(`SELECT integration_id, key_version FROM integration_credential`);
    expect(integrations.length).toBe(final ? 1 : 0);
    expect(credentials.length).toBe(integrations.length);
    if (final) {
      expect(credentials[0]).toEqual({ integration_id: integrations[0].id, key_version: integrations[0].key_version });
      const all = [first, ...trail];
      const sinceConnect = all.slice(all.map((e) => e.action).lastIndexOf("CONNECTED"));
      expect(integrations[0].key_version).toBe(sinceConnect.filter((e) => e.action === "RENEWED").length + 1);
    }
  });

  it("both instances' very next GitHub request uses the current key, or both refuse alike", async () => {
    const final = replay({ status: "ACTIVE", fingerprint: initialKey.token.slice(-4) }, trail);
    const mark = a.emulator.requests.length;
    const next = await Promise.all(instances().map((h) => h.gql<{ github: { viewer: { login: string } } }>(setup, Viewer)));
    const sent = a.emulator.requests.slice(mark).map((r) => r.token);
    if (final?.status === "ACTIVE") {
      const current = keyByFingerprint(final.fingerprint)!.token;
      expect(next.map((r) => r.body.data?.github.viewer.login)).toEqual([LOGIN, LOGIN]);
      expect(sent).toEqual([current, current]);
    } else {
      const expected = final ? "INTEGRATION_INACTIVE" : "INTEGRATION_NOT_CONNECTED";
      expect(next.map(codeOf)).toEqual([expected, expected]);
      expect(sent).toEqual([]);
    }

    // Whatever the storm left, once B makes it active with another key, both instances use that key.
    const settle = await b.token(TENANT, "admin", "settle");
    const settleKey = pool.find((k) => k.token.slice(-4) !== final?.fingerprint)!;
    if (!final) expect(codeOf(await b.gql(settle, Connect, { token: settleKey.token }))).toBeUndefined();
    else {
      expect(codeOf(await b.gql(settle, Renew, { token: settleKey.token }))).toBeUndefined();
      expect(codeOf(await b.gql(settle, Toggle, { active: true }))).toBeUndefined();
    }
    const again = a.emulator.requests.length;
    for (const h of [a, b, a]) expect((await h.gql<{ github: { viewer: { login: string } } }>(setup, Viewer)).body.data?.github.viewer.login).toBe(LOGIN);
    expect(a.emulator.requests.slice(again).map((r) => r.token)).toEqual([settleKey.token, settleKey.token, settleKey.token]);
  });
});
