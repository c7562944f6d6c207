import { parse, validate } from "graphql";
import { buildBatchDocument } from "../../src/github/batch/batch-document";
import type { Lookup } from "../../src/github/batch/lookup";
import { gitHubSchema } from "../github-emulator/github-schema";

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
