import { CrossRequestBatcher } from "../../src/github/batch/cross-request-batcher";
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

describe("CrossRequestBatcher", () => {
  it("sends a lone request's look-ups at once: nothing in flight, nothing to wait for", async () => {
    const gh = fakeGitHub();
    const outcome = await new CrossRequestBatcher(LONG).run("integration-1:v1", [issue("web", 1), issue("web", 2)], gh.send);
    expect(numbers(outcome)).toEqual([1, 2]);
    expect(gh.documents).toHaveLength(1);
  });

  it("while a document is in flight, later requests' look-ups gather into one next document, without repeats", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(LONG);
    gh.hold();
    const first = batcher.run("integration-1:v1", [issue("web", 1)], gh.send);
    const later = [
      batcher.run("integration-1:v1", [issue("web", 2), issue("web", 3)], gh.send),
      batcher.run("integration-1:v1", [issue("web", 3), issue("api", 4)], gh.send),
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
    await Promise.all(["tenant-a:v1", "tenant-b:v1", "tenant-a:v2"].map((scope) => batcher.run(scope, [issue("web", 1)], gh.send)));
    expect(gh.documents).toHaveLength(3);
  });

  it("sends a full window at once, even while another document is in flight", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(LONG);
    gh.hold();
    const first = batcher.run("integration-1:v1", [issue("web", 1)], gh.send);
    const full = batcher.run("integration-1:v1", Array.from({ length: 100 }, (_, i) => issue("api", i + 1)), gh.send);
    expect(gh.documents).toHaveLength(2);
    gh.release();
    expect(numbers(await full)).toHaveLength(100);
    await first;
  });
});
