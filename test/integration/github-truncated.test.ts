import { seedSampleData } from "../../github-emulator";
import type { Fault } from "../../github-emulator";
import { classicKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Card, Connect, Renew } from "../support/operations";

/**
 * A GitHub answer that does not arrive whole (the connection ends mid-body) or arrives whole but is not
 * JSON is a transport failure, like a connection reset: a read is retried (three attempts in all, as for
 * a reset in github-failures.test.ts) and then answers GITHUB_UNAVAILABLE; a mutation is sent once, since
 * GitHub may have applied it. It must never pass for an answer: a missing issue, a repository that does
 * not exist, a TypeError.
 */
const key = classicKey("octocat");
const ISSUE = `{ github { issue(owner: "acme", repo: "webshop", number: 1) { number title } } }`;
const SEARCH = `{ github { searchIssues(query: "repo:acme/webshop is:issue", first: 5) { totalCount nodes { number } } } }`;
const CODE = `{ github { searchCode(query: "login", owner: "acme", repo: "webshop") { totalCount } } }`;
const CREATE = `mutation { createGitHubIssue(input: { owner: "acme", repo: "webshop", title: "Spoiled on the way back" }) { number } }`;

type CardShape = { integration: { keyFingerprint: string; accountLogin: string } | null };

describe.each(["truncate", "garbled"] as const)("a GitHub answer spoiled on the wire (%s)", (kind) => {
  let h: Harness;
  let service: string;
  let admin: string;
  const fault = (extra: Partial<Fault> = {}) => ({ kind, ...extra }) as Fault;
  const sentSince = (mark: number) => h.emulator.requests.slice(mark);

  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key], env: { GITHUB_TIMEOUT_MS: "5000", REQUEST_TIMEOUT_MS: "8000" } });
    seedSampleData(h.emulator.store);
    admin = await h.token("acme", "admin");
    expect((await h.gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
    service = await h.token("acme", "service");
  });
  afterAll(() => h?.close());
  afterEach(() => h.emulator.clearFaults());

  it("issue: one spoiled answer is retried and the read succeeds", async () => {
    h.emulator.fail(fault({ times: 1 }));
    const mark = h.emulator.requests.length;
    const r = await h.gql<{ github: { issue: { number: number } } }>(service, ISSUE);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.github.issue.number).toBe(1);
    expect(sentSince(mark).map((x) => x.fault ?? "ok")).toEqual([kind, "ok"]);
  });

  it("issue: spoiled answers that persist are retried, then GITHUB_UNAVAILABLE (not GITHUB_NOT_FOUND)", async () => {
    h.emulator.fail(fault());
    const mark = h.emulator.requests.length;
    const r = await h.gql(service, ISSUE);
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    expect(sentSince(mark).map((x) => x.fault)).toEqual([kind, kind, kind]);
  });

  it("searchIssues: retried, then GITHUB_UNAVAILABLE", async () => {
    h.emulator.fail(fault());
    const mark = h.emulator.requests.length;
    const r = await h.gql(service, SEARCH);
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    expect(sentSince(mark).map((x) => x.fault)).toEqual([kind, kind, kind]);
  });

  it("searchCode (REST): retried, then GITHUB_UNAVAILABLE", async () => {
    h.emulator.fail(fault());
    const mark = h.emulator.requests.length;
    const r = await h.gql(service, CODE);
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    expect(sentSince(mark).map((x) => `${x.path} ${x.fault}`)).toEqual(Array(3).fill(`/search/code ${kind}`));
  });

  it("createGitHubIssue: a spoiled look-up before it is retried, then GITHUB_UNAVAILABLE and no mutation is sent", async () => {
    h.emulator.fail(fault());
    const mark = h.emulator.requests.length;
    const r = await h.gql(service, CREATE);
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    const sent = sentSince(mark);
    expect(sent).toHaveLength(3);
    expect(sent.some((x) => /^\s*mutation\b/.test(x.query ?? ""))).toBe(false);
  });

  it("createGitHubIssue: a spoiled answer to the mutation is GITHUB_UNAVAILABLE, and the mutation was sent once", async () => {
    h.emulator.fail(fault({ onlyMutations: true }));
    const mark = h.emulator.requests.length;
    const r = await h.gql(service, CREATE);
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    const mutations = sentSince(mark).filter((x) => /^\s*mutation\b/.test(x.query ?? ""));
    expect(mutations.map((x) => x.fault)).toEqual([kind]);
  });

  it("connect: the key check is retried, then GITHUB_UNAVAILABLE, and nothing is stored", async () => {
    const other = classicKey("mona");
    h.emulator.addKey(other);
    const globex = await h.token(`globex-${kind}`, "admin");
    h.emulator.fail(fault());
    const mark = h.emulator.requests.length;
    const r = await h.gql(globex, Connect, { token: other.token });
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    expect(sentSince(mark).map((x) => x.fault)).toEqual([kind, kind, kind]);
    h.emulator.clearFaults();
    expect((await h.gql<CardShape>(globex, Card)).body.data?.integration).toBeNull();
    const events = await h.gql<{ integrationEvents: { nodes: unknown[] } }>(globex, `{ integrationEvents { nodes { action } } }`);
    expect(events.body.data?.integrationEvents.nodes).toEqual([]);
  });

  it("renew: the key check is retried, then GITHUB_UNAVAILABLE, and the current key stays", async () => {
    const before = (await h.gql<CardShape>(admin, Card)).body.data?.integration;
    const next = classicKey("octocat");
    h.emulator.addKey(next);
    h.emulator.fail(fault());
    const mark = h.emulator.requests.length;
    const r = await h.gql(admin, Renew, { token: next.token });
    expect(codeOf(r)).toBe("GITHUB_UNAVAILABLE");
    expect(sentSince(mark).map((x) => x.fault)).toEqual([kind, kind, kind]);
    h.emulator.clearFaults();
    const after = (await h.gql<CardShape>(admin, Card)).body.data?.integration;
    expect(after?.keyFingerprint).toBe(key.token.slice(-4));
    expect(after).toEqual(before);
    // The current key still works.
    expect((await h.gql(service, ISSUE)).body.errors).toBeUndefined();
  });

  it("none of it was an unexpected error (no TypeError from reading half an answer)", () => {
    const unexpected = h.logs.map((l) => JSON.parse(l) as { msg: string }).filter((l) => l.msg === "unexpected error");
    expect(unexpected).toEqual([]);
  });
});
