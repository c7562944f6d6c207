import { badUserInput } from "../errors";

/**
 * GitHub's search syntax as far as the gateway needs it: what counts against GitHub's limits, and whether
 * a query already says its order. GitHub's REST search docs ("Limitations on query length"): a query may
 * not be "longer than 256 characters (not including operators or qualifiers)" nor have "more than five
 * AND, OR, or NOT operators"; the same engine serves GraphQL's `search`. Checked here, no more and no
 * less, so that the caller learns why before anything is sent.
 */
export const MAX_SEARCH_TEXT = 256;
export const MAX_SEARCH_OPERATORS = 5;
/**
 * Not GitHub's rule but the transport's: qualifiers do not count against the 256 characters, yet REST code
 * search carries the query in its URL, which GitHub's front door bounds. No qualifier value GitHub could
 * match is this long (logins 39, repository names 100, paths a few hundred).
 */
export const MAX_QUALIFIER = 1000;

const OPERATORS = new Set(["AND", "OR", "NOT"]);

/** The qualifiers of issue and pull request search (GitHub's "Searching issues and pull requests"). */
export const ISSUE_QUALIFIERS: ReadonlySet<string> = new Set([
  "repo", "org", "user", "is", "type", "state", "label", "no", "author", "assignee", "commenter", "involves", "mentions",
  "base", "head", "draft", "review", "reviewed-by", "review-requested", "team-review-requested", "status", "created",
  "updated", "closed", "merged", "comments", "in", "sort", "archived", "language", "milestone", "project", "reason",
  "linked", "interactions", "reactions", "team", "app", "sha",
]);

/** The qualifiers of REST code search ("Searching code (legacy)"). */
export const CODE_QUALIFIERS: ReadonlySet<string> = new Set(["repo", "org", "user", "in", "path", "filename", "extension", "language", "size", "fork"]);

/** Splits on whitespace outside double quotes: a quoted phrase is one term, as GitHub reads it. */
export function searchTokens(query: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of query) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (current) tokens.push(current);
      current = "";
    } else current += ch;
  }
  if (current) tokens.push(current);
  return tokens;
}

/** A known qualifier (`label:bug`, `-label:bug`, `repo:"a/b"`); `x:y` with an unknown name is text to GitHub. */
export function qualifierName(token: string, known: ReadonlySet<string>): string | undefined {
  const m = /^-?([A-Za-z][A-Za-z-]*):(.+)$/s.exec(token);
  return m && known.has(m[1].toLowerCase()) ? m[1].toLowerCase() : undefined;
}

/** Refuses, as BAD_USER_INPUT, what GitHub would refuse: over 256 characters of text, or over five operators. */
export function checkSearchLimits(query: string, known: ReadonlySet<string>, field = "query"): void {
  const tokens = searchTokens(query);
  const operators = tokens.filter((t) => OPERATORS.has(t)).length;
  if (operators > MAX_SEARCH_OPERATORS) {
    throw badUserInput(`The search has ${operators} AND, OR or NOT operators; GitHub accepts at most ${MAX_SEARCH_OPERATORS}.`, field);
  }
  const long = tokens.find((t) => qualifierName(t, known) && t.length > MAX_QUALIFIER);
  if (long) throw badUserInput(`A qualifier in the search is ${long.length} characters long; no name on GitHub is longer than ${MAX_QUALIFIER}.`, field);
  const text = tokens.filter((t) => !OPERATORS.has(t) && !qualifierName(t, known)).join(" ");
  if (text.length > MAX_SEARCH_TEXT) {
    throw badUserInput(`The search has ${text.length} characters besides its qualifiers and operators; GitHub accepts at most ${MAX_SEARCH_TEXT}.`, field);
  }
}

/**
 * The qualifiers a query states for itself (`repo:a/b`, `is:issue`), names lower-cased: not negated
 * (`-repo:x` excludes, it names nothing to search) and not inside a quoted phrase (`"x repo:y"` is text).
 */
export function statedQualifiers(query: string): { name: string; value: string }[] {
  return searchTokens(query).flatMap((t) => {
    const m = /^([A-Za-z][A-Za-z-]*):(.+)$/s.exec(t);
    return m ? [{ name: m[1].toLowerCase(), value: m[2] }] : [];
  });
}

/** Whether the query already orders its results (`sort:created-asc`, ...). */
export const hasSort = (query: string): boolean => statedQualifiers(query).some((q) => q.name === "sort");

/** Whether the query names where to search (`repo:`, `org:`, `user:`). */
export const namesOwner = (query: string): boolean => statedQualifiers(query).some((q) => q.name === "repo" || q.name === "org" || q.name === "user");

/** Whether the query says which kind of item it wants (`is:issue`, `type:pr`, `is:pull-request`). */
export const namesKind = (query: string): boolean =>
  statedQualifiers(query).some((q) => (q.name === "is" || q.name === "type") && /^(issue|pr|pull-request)$/i.test(q.value));
