import { forGraphQLError, NOT_FOUND_OR_NOT_GRANTED } from "../../src/github/to-gateway-error";
import { isFieldRefusal } from "../../src/github/github-answer-errors";
import { nearestNames } from "../../src/github/label-names";
import { checkSearchLimits, hasSort, ISSUE_QUALIFIERS, CODE_QUALIFIERS } from "../../src/github/search-query";

// How GitHub's answers (shapes from its docs and public reports; github-emulator/README.md) map to the
// contract's codes, and the small rules the services apply before anything is sent.

const now = () => Math.floor(Date.now() / 1000);

describe("GitHub's refusals as the contract's codes", () => {
  it("a secondary limit without retry-after while budget remains waits a minute, not until the primary reset", () => {
    const e = forGraphQLError({ message: "You have exceeded a secondary rate limit." }, { "x-ratelimit-remaining": "4990", "x-ratelimit-reset": String(now() + 3000) });
    expect(e.extensions).toMatchObject({ code: "GITHUB_RATE_LIMITED", retryAfter: 60 });
    const spent = forGraphQLError({ type: "RATE_LIMITED", message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now() + 3000) });
    expect(spent.extensions.retryAfter).toBeGreaterThan(2900);
    const told = forGraphQLError({ message: "You have exceeded a secondary rate limit." }, { "retry-after": "7", "x-ratelimit-remaining": "0" });
    expect(told.extensions.retryAfter).toBe(7);
  });

  it("INSUFFICIENT_SCOPES names the missing scope; an SSO refusal names the organization; never GITHUB_UNAVAILABLE", () => {
    const scopes = forGraphQLError({
      type: "INSUFFICIENT_SCOPES",
      message: "Your token has not been granted the required scopes to execute this query. The 'name' field requires one of the following scopes: ['read:org', 'write:org'], but your token has only been granted the: ['repo'] scopes.",
    });
    expect(scopes.extensions).toMatchObject({ code: "GITHUB_PERMISSION_DENIED", scope: "read:org" });
    const sso = forGraphQLError(
      { type: "FORBIDDEN", message: "Resource protected by organization SAML enforcement.", extensions: { saml_failure: true } },
      { "x-github-sso": "required; url=https://github.com/orgs/globex/sso?authorization_request=abc" },
    );
    expect(sso.extensions).toMatchObject({ code: "GITHUB_PERMISSION_DENIED", ssoOrganization: "globex" });
    expect(sso.message).toContain("SAML single sign-on");
    expect(sso.message).not.toContain("authorization_request");
  });

  it("content created too fast is GITHUB_RATE_LIMITED for creation; a heavy document says so; not-found says not granted", () => {
    expect(forGraphQLError({ type: "UNPROCESSABLE", message: "was submitted too quickly", path: ["createIssue"] }).extensions)
      .toMatchObject({ code: "GITHUB_RATE_LIMITED", retryAfter: 60, reason: "CONTENT_CREATION" });
    expect(forGraphQLError({ type: "RESOURCE_LIMITS_EXCEEDED", message: "Resource limits for this query exceeded." }).extensions)
      .toMatchObject({ code: "GITHUB_UNAVAILABLE", reason: "RESOURCE_LIMITS_EXCEEDED" });
    const missing = forGraphQLError({ type: "NOT_FOUND", message: "Could not resolve to a Repository with the name 'acme/api'." });
    expect(missing.extensions.code).toBe("GITHUB_NOT_FOUND");
    expect(missing.message).toContain(NOT_FOUND_OR_NOT_GRANTED);
  });
});

describe("a field the key may not read is partial data", () => {
  const data = { search: { nodes: [{ reviewRequests: { nodes: [{ requestedReviewer: null }] } }] }, repository: null };
  it("when its parent came back", () => {
    expect(isFieldRefusal({ type: "FORBIDDEN", message: "", path: ["search", "nodes", 0, "reviewRequests", "nodes", 0, "requestedReviewer"] }, data)).toBe(true);
  });
  it("but not when the object itself was refused, nor for another kind of error", () => {
    expect(isFieldRefusal({ type: "FORBIDDEN", message: "", path: ["repository"] }, data)).toBe(false);
    expect(isFieldRefusal({ type: "NOT_FOUND", message: "", path: ["search", "nodes", 0, "reviewRequests", "nodes", 0, "requestedReviewer"] }, data)).toBe(false);
    expect(isFieldRefusal({ type: "FORBIDDEN", message: "", path: ["repository", "issue", "title"] }, data)).toBe(false);
  });
});

describe("search text as GitHub counts it", () => {
  it("counts 256 characters of text, qualifiers and operators aside", () => {
    const text = "x".repeat(256);
    expect(() => checkSearchLimits(`${text} repo:acme/webshop label:"needs triage" -label:bug sort:created-desc`, ISSUE_QUALIFIERS)).not.toThrow();
    expect(() => checkSearchLimits(`${text} AND y`, ISSUE_QUALIFIERS)).toThrow(/258 characters/);
    // An unknown qualifier is text to GitHub: it counts.
    expect(() => checkSearchLimits(`${"x".repeat(250)} colour:blue`, ISSUE_QUALIFIERS)).toThrow(/characters/);
    expect(() => checkSearchLimits(`${"x".repeat(250)} path:src/auth`, CODE_QUALIFIERS)).not.toThrow();
  });

  it("refuses more than five AND, OR or NOT operators, and a qualifier longer than any name", () => {
    expect(() => checkSearchLimits("a OR b OR c OR d AND e NOT f", ISSUE_QUALIFIERS)).not.toThrow();
    expect(() => checkSearchLimits("a OR b OR c OR d AND e NOT f OR g", ISSUE_QUALIFIERS)).toThrow(/6 AND, OR or NOT operators/);
    expect(() => checkSearchLimits('"a OR b OR c OR d OR e OR f OR g"', ISSUE_QUALIFIERS)).not.toThrow(); // a phrase, not operators
    expect(() => checkSearchLimits(`repo:${"a".repeat(2000)}`, CODE_QUALIFIERS)).toThrow(/qualifier/);
  });

  it("tells whether a query orders itself", () => {
    expect(hasSort("is:open sort:updated-asc")).toBe(true);
    expect(hasSort('"sort:updated" is:open')).toBe(false);
    expect(hasSort("is:open")).toBe(false);
  });
});

describe("the nearest label names", () => {
  const existing = ["bug", "Bug Report", "enhancement", "good first issue", "needs triage", "documentation"];
  it("are close in spelling or contain what was typed", () => {
    expect(nearestNames("bgu", existing)).toEqual(["bug"]);
    expect(nearestNames("enhancment", existing)).toEqual(["enhancement"]);
    expect(nearestNames("triage", existing)).toEqual(["needs triage"]);
    expect(nearestNames("zzzzzz", existing)).toEqual([]);
  });
});
