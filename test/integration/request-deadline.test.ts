import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Connect, Viewer } from "../support/operations";

const key = classicKey("acme-bot");

/**
 * REQUEST_TIMEOUT_MS bounds a whole request: time queued behind the tenant's other upstream calls and
 * every upstream call it makes, not just one call (GITHUB_TIMEOUT_MS).
 */
describe("the gateway's own time limit per request", () => {
  let h: Harness;
  let service: string;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key], env: { GITHUB_TIMEOUT_MS: "5000", REQUEST_TIMEOUT_MS: "3000", GITHUB_BATCH_WINDOW_MS: "0" } });
    h.emulator.store.addRepository({ owner: "acme", name: "webshop" });
    const issue = h.emulator.store.addIssue({ owner: "acme", repo: "webshop", title: "Long thread" });
    for (let i = 0; i < 450; i++) h.emulator.store.addComment({ owner: "acme", repo: "webshop", number: issue.number, body: `comment ${i}` });
    expect((await h.gql(await h.token("acme", "admin"), Connect, { token: key.token })).body.errors).toBeUndefined();
    service = await h.token("acme", "service");
  });
  afterAll(() => h?.close());
  afterEach(() => {
    h.emulator.clearFaults();
  });

  it("requests queued behind the tenant's 4 upstream slots give up at their deadline without being sent", async () => {
    h.emulator.fail({ kind: "delay", ms: 2000 });
    const mark = h.emulator.requests.length;
    const answers = await Promise.all(Array.from({ length: 12 }, () => h.gql(service, Viewer)));
    const codes = answers.map((a) => codeOf(a) ?? "ok");
    expect(codes.filter((c) => c === "ok")).toHaveLength(4);
    expect(codes.filter((c) => c === "GITHUB_UNAVAILABLE")).toHaveLength(8);
    // Every call after the first wave was cut off by the gateway: when all 12 answers were in, GitHub
    // had answered none of them (status 0), and a third wave, if any, was sent only with time left.
    const later = h.emulator.requests.slice(mark + 4);
    expect(later.length).toBeGreaterThanOrEqual(4);
    expect(later.length).toBeLessThan(12 - 4 + 1);
    expect(later.every((r) => r.status === 0)).toBe(true);
  });

  it("a thread whose pages would take longer than the request's time stops paging and answers GITHUB_UNAVAILABLE", async () => {
    h.emulator.fail({ kind: "delay", ms: 1200 });
    const mark = h.emulator.requests.length;
    const r = await h.gql(service, `{ github { issueThread(owner: "acme", repo: "webshop", number: 1) { totalComments } } }`);
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    // 450 comments need 5 pages; at 1.2 s a page the 3 s budget stops it after at most 3.
    expect(h.emulator.requests.length - mark).toBeLessThanOrEqual(3);
  });
});
