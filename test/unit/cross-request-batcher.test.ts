import { CrossRequestBatcher } from "../../src/github/batch/cross-request-batcher";
import type { SendDocument } from "../../src/github/batch/execute-lookups";
import type { Lookup } from "../../src/github/batch/lookup";

/** A fake GitHub that answers every issue alias with its number, and records each document. */
function fakeGitHub() {
  const documents: Record<string, unknown>[] = [];
  const send: SendDocument = async (text, variables) => {
    documents.push(variables);
    const data: Record<string, Record<string, unknown>> = {};
    for (const m of text.matchAll(/(r\d+): repository[^{]*\{ id nameWithOwner ((?:k\d+: issue\(number: \$k\d+\) \{ \.\.\.GatewayIssueFields \} ?)*)/g)) {
      data[m[1]] = {};
      for (const k of m[2].matchAll(/(k\d+): issue/g)) data[m[1]][k[1]] = { number: variables[k[1]] };
    }
    return { data, errors: [], headers: new Headers() };
  };
  return { documents, send };
}

const issue = (repo: string, number: number): Lookup => ({ kind: "issue", owner: "acme", repo, number });

describe("CrossRequestBatcher", () => {
  it("merges look-ups of one scope made within the window into one document, without repeats", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(5);
    const [a, b] = await Promise.all([
      batcher.run("integration-1:v1", [issue("web", 1), issue("web", 2)], gh.send),
      batcher.run("integration-1:v1", [issue("web", 2), issue("api", 3)], gh.send),
    ]);
    expect(gh.documents).toHaveLength(1);
    expect(Object.keys(gh.documents[0]).filter((k) => /^k\d+$/.test(k))).toHaveLength(3);
    expect(a.results.map((r) => (r as { number: number }).number)).toEqual([1, 2]);
    expect(b.results.map((r) => (r as { number: number }).number)).toEqual([2, 3]);
  });

  it("never mixes scopes (tenants or key versions) in one document", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(5);
    await Promise.all([batcher.run("tenant-a:v1", [issue("web", 1)], gh.send), batcher.run("tenant-b:v1", [issue("web", 1)], gh.send), batcher.run("tenant-a:v2", [issue("web", 1)], gh.send)]);
    expect(gh.documents).toHaveLength(3);
  });

  it("sends at once when a window holds a full document", async () => {
    const gh = fakeGitHub();
    const batcher = new CrossRequestBatcher(60_000); // the timer would never fire within the test
    const full = Array.from({ length: 100 }, (_, i) => issue("web", i + 1));
    const outcome = await batcher.run("integration-1:v1", full, gh.send);
    expect(gh.documents).toHaveLength(1);
    expect(outcome.results).toHaveLength(100);
  });
});
