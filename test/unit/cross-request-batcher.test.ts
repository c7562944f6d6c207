import { CrossRequestBatcher } from "../../src/github/batch/cross-request-batcher";
import { FairTurns } from "../../src/limits/fair-turns";
import type { SendDocument } from "../../src/github/batch/execute-lookups";
import type { Lookup } from "../../src/github/batch/lookup";

/**
 * A fake GitHub that answers every issue alias with its number and records each document. Answers
 * wait for `release()`, so a test decides when a document is "in flight".
 */
function fakeGitHub() {
  const documents: Record<string, unknown>[] = [];
  let gate = Promise.resolve();
  let open = () => {};
  const send: SendDocument = async (text, variables) => {
    documents.push(variables);
    await gate;
    const data: Record<string, Record<string, unknown>> = {};
    for (const m of text.matchAll(/(r\d+): repository[^{]*\{ id nameWithOwner ((?:k\d+: issue\(number: \$k\d+\) \{ \.\.\.GatewayIssueCore \} ?)*)/g)) {
      data[m[1]] = {};
      for (const k of m[2].matchAll(/(k\d+): issue/g)) data[m[1]][k[1]] = { number: variables[k[1]] };
    }
    return { data, errors: [], headers: new Headers() };
  };
  return {
    documents,
    send,
    hold: () => (gate = new Promise<void>((r) => (open = r))),
    release: () => open(),
  };
}

const issue = (repo: string, number: number): Lookup => ({ kind: "issue", owner: "acme", repo, number, detail: "core" });
const numbers = (o: { results: unknown[] }) => o.results.map((r) => (r as { number: number }).number);
const LONG = 60_000; // a window timer that never fires within a test
/** A scope named `tenant:version`, the tenant being the part before the colon. */
const scope = (key: string) => ({ tenant: key.split(":")[0], key });
/** Lets promise jobs and setImmediate callbacks run, as between two network events. */
const turn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

describe("CrossRequestBatcher", () => {
  it("sends a lone request's look-ups at once: nothing in flight, nothing to wait for", async () => {
    const gh = fakeGitHub();
    const outcome = await new CrossRequestBatcher(LONG).run(scope("integration-1:v1"), [issue("web", 1), issue("web", 2)], gh.send);
    expect(numbers(outcome)).toEqual([1, 2]);
    expect(gh.documents).toHaveLength(1);
  });

  it("while a document is in flight, later requests' look-ups gather into one next document, without repeats", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(LONG);
    gh.hold();
    const first = batcher.run(scope("integration-1:v1"), [issue("web", 1)], gh.send);
    const later = [
      batcher.run(scope("integration-1:v1"), [issue("web", 2), issue("web", 3)], gh.send),
      batcher.run(scope("integration-1:v1"), [issue("web", 3), issue("api", 4)], gh.send),
    ];
    expect(gh.documents).toHaveLength(1);
    gh.release();
    const [a, b, c] = await Promise.all([first, ...later]);
    expect(gh.documents).toHaveLength(2);
    expect(Object.keys(gh.documents[1]).filter((k) => /^k\d+$/.test(k))).toHaveLength(3);
    expect([numbers(a), numbers(b), numbers(c)]).toEqual([[1], [2, 3], [3, 4]]);
  });

  it("never mixes scopes (tenants or key versions) in one document", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(LONG);
    await Promise.all(["tenant-a:v1", "tenant-b:v1", "tenant-a:v2"].map((s) => batcher.run(scope(s), [issue("web", 1)], gh.send)));
    expect(gh.documents).toHaveLength(3);
  });

  it("sends a full window at once, even while another document is in flight", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(LONG);
    gh.hold();
    const first = batcher.run(scope("integration-1:v1"), [issue("web", 1)], gh.send);
    const full = batcher.run(scope("integration-1:v1"), Array.from({ length: 100 }, (_, i) => issue("api", i + 1)), gh.send);
    expect(gh.documents).toHaveLength(2);
    gh.release();
    expect(numbers(await full)).toHaveLength(100);
    await first;
  });

  it("with nothing in flight, waits for the workspace's requests already on their way, then sends their look-ups in the same document", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(LONG);
    const [a, b, ended] = [1, 2, 3].map(() => batcher.onItsWay("tenant-a"));
    const first = batcher.run(scope("tenant-a:v1"), [issue("web", 1)], gh.send);
    await turn();
    expect(gh.documents).toHaveLength(0);
    // A request that comes after the window opened does not hold it: a steady stream cannot keep it open.
    const later = batcher.onItsWay("tenant-a");
    a();
    const second = batcher.run(scope("tenant-a:v1"), [issue("web", 2)], gh.send);
    b();
    const third = batcher.run(scope("tenant-a:v1"), [issue("web", 3)], gh.send);
    await turn();
    expect(gh.documents).toHaveLength(0);
    // A request that ends without a look-up (a card read, a failed key read) ends the wait like any other.
    ended();
    await turn();
    expect(gh.documents).toHaveLength(1);
    expect([numbers(await first), numbers(await second), numbers(await third)]).toEqual([[1], [2], [3]]);
    later();
  });

  it("never waits for another workspace's requests, nor past the window", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(LONG);
    const other = batcher.onItsWay("tenant-b");
    await batcher.run(scope("tenant-a:v1"), [issue("web", 1)], gh.send);
    expect(gh.documents).toHaveLength(1);
    other();
    const short = new CrossRequestBatcher(5);
    short.onItsWay("tenant-a"); // never ends: the window's timer sends anyway
    expect(numbers(await short.run(scope("tenant-a:v1"), [issue("web", 2)], gh.send))).toEqual([2]);
    expect(gh.documents).toHaveLength(2);
  });

  it("a request whose end was never reported holds no window once it is older than the window", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(LONG);
    batcher.onItsWay("tenant-a", Date.now() - LONG - 1); // lost: neither its key nor its end was reported
    expect(numbers(await batcher.run(scope("tenant-a:v1"), [issue("web", 1)], gh.send))).toEqual([1]);
    expect(gh.documents).toHaveLength(1);
    // Nor does it linger: the next request of the workspace drops it.
    const next = batcher.onItsWay("tenant-a");
    expect((batcher as unknown as { onTheWay: Map<string, Set<unknown>> }).onTheWay.get("tenant-a")?.size).toBe(1);
    next();
    expect((batcher as unknown as { onTheWay: Map<string, Set<unknown>> }).onTheWay.has("tenant-a")).toBe(false);
  });

  it("hands a shared document's answers to its requests in the workspace's turns; a lone request's at once", async () => {
    const gh = fakeGitHub();
    const turns = new FairTurns(1);
    const wait = jest.spyOn(turns, "wait");
    const batcher = new CrossRequestBatcher(LONG, turns);
    expect(numbers(await batcher.run(scope("integration-1:v1"), [issue("web", 1)], gh.send))).toEqual([1]);
    expect(wait).not.toHaveBeenCalled();
    gh.hold();
    const first = batcher.run(scope("integration-1:v1"), [issue("web", 1)], gh.send);
    const later = [2, 3, 4].map((n) => batcher.run(scope("integration-1:v1"), [issue("web", n)], gh.send));
    gh.release();
    const outcomes = await Promise.all([first, ...later]);
    expect(outcomes.map(numbers)).toEqual([[1], [2], [3], [4]]);
    expect(gh.documents).toHaveLength(3);
    // The second document answered three requests: each went on in a turn of workspace "integration-1".
    expect(wait.mock.calls).toEqual([["integration-1"], ["integration-1"], ["integration-1"]]);
  });
});
