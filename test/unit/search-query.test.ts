import { hasSort, namesKind, namesOwner, statedQualifiers } from "../../src/github/search-query";

// What a caller's search already says for itself decides what the gateway adds: the key's owners when it
// names none, `is:issue` when it names no kind, newest first when it names no order. A quoted phrase is
// text to GitHub and a negated qualifier excludes, so neither may count as saying it.

describe("the qualifiers a search states for itself", () => {
  it("reads names lower-cased and values as written, a quoted value whole", () => {
    expect(statedQualifiers(`bug REPO:acme/webshop label:"needs triage"`)).toEqual([
      { name: "repo", value: "acme/webshop" },
      { name: "label", value: `"needs triage"` },
    ]);
  });

  it("a qualifier inside a quoted phrase, closed or not, names nothing", () => {
    expect(namesOwner(`"login repo:acme/webshop"`)).toBe(false);
    expect(namesOwner(`login "repo:acme/webshop`)).toBe(false);
    expect(namesKind(`"is:pr" crash`)).toBe(false);
    expect(hasSort(`"sort:created-asc"`)).toBe(false);
  });

  it("a negated qualifier names nothing to search", () => {
    expect(namesOwner("crash -repo:acme/webshop")).toBe(false);
    expect(namesKind("crash -is:issue")).toBe(false);
  });

  it("repo, org and user name owners; is and type name the kind; sort the order", () => {
    expect(["repo:a/b x", "org:acme", "x user:mona"].map(namesOwner)).toEqual([true, true, true]);
    expect(["is:issue", "type:pr", "IS:Pull-Request", "is:open", "is:issues"].map(namesKind)).toEqual([true, true, true, false, false]);
    expect(["crash sort:updated-desc", "crash sorted"].map(hasSort)).toEqual([true, false]);
  });
});
