import { parse, validate } from "graphql";
import { buildBatchDocument } from "../../src/github/batch/batch-document";
import { executeLookups } from "../../src/github/batch/execute-lookups";
import type { Lookup } from "../../src/github/batch/lookup";
import { gitHubSchema } from "../../github-emulator/github-schema";

const HOSTILE = `x") { viewer { login } } #\n"}{'`;

describe("the batched upstream document", () => {
  const lookups: Lookup[] = [
    { kind: "issue", owner: "acme", repo: "webshop", number: 1, detail: "full" },
    { kind: "issue", owner: "ACME", repo: "WebShop", number: 2, detail: "core" }, // same repository, other case
    { kind: "pullRequest", owner: "acme", repo: "api", number: 7, detail: "full" },
    { kind: "label", owner: "acme", repo: "webshop", name: "needs triage" },
    { kind: "repository", owner: "mona", repo: "dotfiles" },
    { kind: "user", login: "hubot" },
    { kind: "issue", owner: HOSTILE, repo: HOSTILE, number: 3, detail: "core" },
    { kind: "thread", owner: "acme", repo: "docs", number: 9 },
    { kind: "label", owner: "acme", repo: "webshop", name: HOSTILE },
  ];
  const doc = buildBatchDocument(lookups);

  it("validates against GitHub's published schema", () => {
    expect(validate(gitHubSchema(), parse(doc.text))).toEqual([]);
  });

  it("groups look-ups by repository and gives each its own alias path", () => {
    expect(doc.paths).toEqual([["r0", "k0"], ["r0", "k1"], ["r1", "k2"], ["r0", "k3"], ["r2"], ["k5"], ["r3", "k6"], ["r4", "k7"], ["r0", "k8"]]);
    expect(doc.text.match(/: repository\(/g)).toHaveLength(5);
    // Each fragment is defined once, even when two selections share it (both thread fragments use GatewayCommentPage).
    expect(doc.text.match(/fragment GatewayCommentPage /g)).toHaveLength(1);
    expect(doc.text).toContain("rateLimit { ...GatewayRateLimitFields }");
  });

  it("carries caller text only as variables", () => {
    expect(doc.text).not.toContain(HOSTILE);
    expect(doc.text).not.toContain("needs triage");
    expect(doc.text).not.toContain("hubot");
    expect(Object.values(doc.variables)).toEqual(expect.arrayContaining([HOSTILE, "needs triage", "hubot", 3]));
  });

  it("asks for an item's connections only at full detail", () => {
    const core = buildBatchDocument([{ kind: "issue", owner: "a", repo: "b", number: 1, detail: "core" }, { kind: "pullRequest", owner: "a", repo: "b", number: 2, detail: "core" }]);
    expect(core.text).not.toMatch(/labels|assignees|latestReviews|commits/);
    expect(validate(gitHubSchema(), parse(core.text))).toEqual([]);
  });

  it("includes only the fragments it uses", () => {
    const onlyUsers = buildBatchDocument([{ kind: "user", login: "a" }]);
    expect(onlyUsers.text).not.toContain("fragment GatewayIssueFields");
    expect(validate(gitHubSchema(), parse(onlyUsers.text))).toEqual([]);
  });
});

describe("routing an answer to its look-ups", () => {
  const lookups: Lookup[] = [
    { kind: "repository", owner: "acme", repo: "webshop" },
    { kind: "issue", owner: "acme", repo: "webshop", number: 999, detail: "core" },
    { kind: "issue", owner: "acme", repo: "webshop", number: 1, detail: "core" },
    { kind: "issue", owner: "acme", repo: "gone", number: 1, detail: "core" },
  ];
  const issue = { __typename: "Issue", number: 1 };
  const send = async () => ({
    data: { r0: { id: "R_1", nameWithOwner: "acme/webshop", k1: null, k2: issue }, r1: null },
    errors: [
      { type: "NOT_FOUND", path: ["r0", "k1"], message: "Could not resolve to an issue or pull request with the number of 999." },
      { type: "NOT_FOUND", path: ["r1"], message: "Could not resolve to a Repository with the name 'acme/gone'." },
    ],
    headers: new Headers(),
  });

  it("an item's error is that item's alone, even when its repository is a look-up too; a repository's error fails what is inside it", async () => {
    const { results } = await executeLookups(lookups, send);
    expect(results[0]).toEqual({ id: "R_1", nameWithOwner: "acme/webshop", k1: null, k2: issue });
    expect(results[1]).toMatchObject({ extensions: { code: "GITHUB_NOT_FOUND" } });
    expect(results[2]).toEqual(issue);
    expect(results[3]).toMatchObject({ extensions: { code: "GITHUB_NOT_FOUND" } });
    expect((results[3] as Error).message).toContain("acme/gone");
  });
});
