import { Client } from "pg";
import { seedSampleData } from "../../github-emulator";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect, Disconnect, Renew, Toggle } from "../support/operations";

// "The old key is invalid at once" covers requests already in flight. A thread read pages
// through GitHub for seconds on instance B while an admin renews, deactivates or disconnects through
// instance A: from the moment A answers (the change has committed), GitHub sees the old key no more.

const oldKey = classicKey("mona");
const newKey = classicKey("mona");
const COMMENTS = 800; // 8 pages of 100, each slowed by the emulator below
const UPSTREAM_DELAY_MS = 120;

describe("a key change stops requests already in flight on another instance", () => {
  let a: Harness;
  let b: Harness;
  let number: number;

  beforeAll(async () => {
    a = await startHarness({ database: "postgres", keys: [oldKey, newKey] });
    b = await startHarness({ database: "postgres", shareWith: a });
    seedSampleData(a.emulator.store);
    number = a.emulator.store.addIssue({ owner: "acme", repo: "webshop", title: "A long thread" }).number;
    for (let i = 0; i < COMMENTS; i++) a.emulator.store.addComment({ owner: "acme", repo: "webshop", number, body: `comment ${i}` });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });
  afterEach(async () => {
    a.emulator.clearFaults();
    // Each case starts from a fresh connect, whatever the last one left.
    await a.gql(await a.token("acme", "admin"), Disconnect);
  });

  const readThread = async () =>
    b.gql(await b.token("acme", "service"), `{ github { issueThread(owner: "acme", repo: "webshop", number: ${number}, maxComments: ${COMMENTS}) { totalComments comments { body } } } }`);

  /** Starts B's thread read, waits until two of its pages went out with the old key, runs the change through A. */
  async function changeMidThread(change: () => Promise<{ body: { errors?: unknown } }>) {
    expect((await a.gql(await a.token("acme", "admin"), Connect, { token: oldKey.token })).body.errors).toBeUndefined();
    a.emulator.fail({ kind: "delay", ms: UPSTREAM_DELAY_MS });
    const mark = a.emulator.requests.length;
    const oldKeyUses = () => a.emulator.requests.slice(mark).filter((r) => r.token === oldKey.token);
    const thread = readThread();
    while (oldKeyUses().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await change()).body.errors).toBeUndefined();
    const committed = new Date();
    const answer = await thread;
    const late = oldKeyUses().filter((r) => r.at >= committed);
    return { answer, late, before: oldKeyUses().length };
  }

  it("renew: no page of the thread goes out with the old key after the renew answered; the read is told to send again", async () => {
    const { answer, late, before } = await changeMidThread(async () => a.gql(await a.token("acme", "admin"), Renew, { token: newKey.token }));
    expect(late).toEqual([]);
    // It really was in the middle: the thread needs more pages than went out before the change.
    expect(before).toBeLessThan(COMMENTS / 100 + 1);
    expect(codeOf(answer)).toBe("CONFLICT");
    expect(answer.body.data?.github ?? null).toMatchObject({ issueThread: null });
    expect(await readThread()).toMatchObject({ body: { data: { github: { issueThread: { totalComments: COMMENTS } } } } });
  });

  it("renew while a read waits out GitHub's retry-after: the retry is not sent with the old key", async () => {
    expect((await a.gql(await a.token("acme", "admin"), Connect, { token: oldKey.token })).body.errors).toBeUndefined();
    a.emulator.fail({ kind: "secondaryRateLimit", retryAfterSeconds: 1, times: 1, token: oldKey.token });
    const mark = a.emulator.requests.length;
    const oldKeyUses = () => a.emulator.requests.slice(mark).filter((r) => r.token === oldKey.token);
    const read = b.gql(await b.token("acme", "service"), `{ github { issue(owner: "acme", repo: "webshop", number: ${number}) { title } } }`);
    while (oldKeyUses().length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await a.gql(await a.token("acme", "admin"), Renew, { token: newKey.token })).body.errors).toBeUndefined();
    const committed = new Date();
    const answer = await read;
    expect(oldKeyUses().filter((r) => r.at >= committed)).toEqual([]);
    expect(oldKeyUses()).toHaveLength(1);
    expect(codeOf(answer)).toBe("CONFLICT");
  });

  it("renew while a search refreshes what the key reaches: no page of /user/repos goes out with the old key after the renew answered", async () => {
    // Enough of mona's own repositories that reading what her key reaches takes five pages of /user/repos
    // (added here, not for every case: the cases above renew under a delay that would then cover five pages).
    for (let i = 0; i < 450; i++) a.emulator.store.addRepository({ owner: "mona", name: `many-${String(i).padStart(3, "0")}` });
    expect((await a.gql(await a.token("acme", "admin"), Connect, { token: oldKey.token })).body.errors).toBeUndefined();
    // The scope was read at connect; an hour later a search reads it again, page by page.
    const db = new Client({ connectionString: a.config.databaseUrl });
    await db.connect();
    await db.query(`UPDATE "integration" SET "search_scope_refreshed_at" = now() - interval '2 hours'`);
    await db.end();
    // Only the old key's calls are slow: the renew's own check of the new key (and its reach) is not held up.
    a.emulator.fail({ kind: "delay", ms: 3 * UPSTREAM_DELAY_MS, token: oldKey.token });
    const mark = a.emulator.requests.length;
    const oldKeyPages = () => a.emulator.requests.slice(mark).filter((r) => r.token === oldKey.token && r.path.endsWith("/user/repos"));
    const search = b.gql(await b.token("acme", "service"), `{ github { searchIssues(query: "is:open", first: 1) { totalCount } } }`);
    while (oldKeyPages().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await a.gql(await a.token("acme", "admin"), Renew, { token: newKey.token })).body.errors).toBeUndefined();
    const committed = new Date();
    const answer = await search;
    expect(a.emulator.requests.slice(mark).filter((r) => r.token === oldKey.token && r.at >= committed)).toEqual([]);
    expect(oldKeyPages().length).toBeLessThan(5);
    expect(codeOf(answer)).toBe("CONFLICT");
  });

  it("deactivate: the thread read stops before its next upstream call", async () => {
    const { answer, late } = await changeMidThread(async () => a.gql(await a.token("acme", "admin"), Toggle, { active: false }));
    expect(late).toEqual([]);
    expect(codeOf(answer)).toBe("INTEGRATION_INACTIVE");
  });

  it("disconnect: the thread read stops before its next upstream call", async () => {
    const { answer, late } = await changeMidThread(async () => a.gql(await a.token("acme", "admin"), Disconnect));
    expect(late).toEqual([]);
    expect(codeOf(answer)).toBe("INTEGRATION_NOT_CONNECTED");
  });
});
