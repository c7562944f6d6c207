import { fullNameOf } from "./access";
import type { ResolverContext } from "./resolver-kit";
import { reviewDecisionOf } from "./resolvers-pull-request";
import { createHash } from "node:crypto";
import { GitHubResolverError } from "./errors";
import { dateRange, matchesWords, numberRange, parseSearchQuery, searchLimitProblem, type SearchTerm } from "./search-syntax";
import type { IssueOrPullRequestRecord, PullRequestRecord } from "./store";

// `search(type: ISSUE, query: ...)`: GitHub's issue and pull request qualifiers over the store.
// Without repo:/org:/user: every repository the key can see is searched (GitHub: all of GitHub).

type Item = IssueOrPullRequestRecord;
type Predicate = (item: Item) => boolean;

/** GitHub's search returns at most this many results (issueCount still counts them all). */
export const MAX_SEARCH_RESULTS = 1000;

const isPr = (item: Item): item is PullRequestRecord => item.__typename === "PullRequest";
const same = (a: string | null | undefined, b: string) => (a ?? "").toLowerCase() === b.toLowerCase();

function scopeMatches(term: SearchTerm, item: Item, context: ResolverContext): boolean {
  const repo = context.store.repositoryById(item.repositoryId);
  if (!repo) return false;
  return term.qualifier === "repo" ? same(fullNameOf(repo), term.value) : same(repo.ownerLogin, term.value);
}

function labelsOf(item: Item, context: ResolverContext): string[] {
  return item.labelIds.map((id) => context.store.labelById(id)?.name.toLowerCase() ?? "");
}

const IS_VALUES = new Set(["pr", "issue", "open", "closed", "merged", "unmerged", "draft", "public", "private", "locked", "unlocked"]);

function isQualifier(item: Item, value: string, context: ResolverContext): boolean | undefined {
  const repo = context.store.repositoryById(item.repositoryId);
  switch (value) {
    case "pr": return isPr(item);
    case "issue": return !isPr(item);
    case "open": return item.state === "OPEN";
    case "closed": return item.state !== "OPEN";
    case "merged": return isPr(item) && item.state === "MERGED";
    case "unmerged": return isPr(item) && item.state !== "MERGED";
    case "draft": return isPr(item) && item.isDraft;
    case "public": return repo?.isPrivate === false;
    case "private": return repo?.isPrivate === true;
    case "locked": return false;
    case "unlocked": return true;
    default: return undefined;
  }
}

function reviewQualifier(pr: PullRequestRecord, value: string, context: ResolverContext): boolean {
  if (value === "none") return context.store.reviewsOf(pr.databaseId).every((r) => r.state === "PENDING");
  return reviewDecisionOf(pr, context.store) === value.toUpperCase();
}

/** A qualifier's predicate; undefined when GitHub would read the term as text. */
function qualifierPredicate(term: SearchTerm, context: ResolverContext): Predicate | undefined {
  const value = term.value === "@me" ? context.viewer.login : term.value;
  const lower = value.toLowerCase();
  const dates = dateRange(value);
  switch (term.qualifier) {
    case "is": return IS_VALUES.has(lower) ? (item) => isQualifier(item, lower, context) === true : undefined;
    case "type": return lower === "pr" || lower === "issue" ? (item) => isPr(item) === (lower === "pr") : undefined;
    case "state": return lower === "open" || lower === "closed" ? (item) => (item.state === "OPEN") === (lower === "open") : undefined;
    case "label": {
      const any = lower.split(",").map((n) => n.trim());
      return (item) => labelsOf(item, context).some((l) => any.includes(l));
    }
    case "no":
      if (lower === "label") return (item) => item.labelIds.length === 0;
      if (lower === "assignee") return (item) => item.assigneeLogins.length === 0;
      return () => true; // no:milestone, no:project: nothing here has either
    case "author": return (item) => same(item.authorLogin, value);
    case "assignee": return (item) => item.assigneeLogins.some((l) => same(l, value));
    case "commenter": return (item) => context.store.commentsOf(item.repositoryId, item.number).some((c) => same(c.authorLogin, value));
    case "involves": return (item) => same(item.authorLogin, value) || item.assigneeLogins.some((l) => same(l, value))
      || context.store.commentsOf(item.repositoryId, item.number).some((c) => same(c.authorLogin, value));
    case "mentions": return (item) => item.body.toLowerCase().includes(`@${lower}`);
    case "base": return (item) => isPr(item) && item.baseRefName === value;
    case "head": return (item) => isPr(item) && item.headRefName === value;
    case "draft": return (item) => isPr(item) && item.isDraft === (lower === "true");
    case "review": return (item) => isPr(item) && reviewQualifier(item, lower, context);
    case "reviewed-by": return (item) => isPr(item)
      && context.store.reviewsOf(item.databaseId).some((r) => r.state !== "PENDING" && same(r.authorLogin, value));
    case "review-requested": return (item) => isPr(item) && context.store.reviewRequestsOf(item.databaseId)
      .some((r) => r.reviewer.kind === "user" && same(r.reviewer.login, value));
    case "team-review-requested": return (item) => isPr(item) && context.store.reviewRequestsOf(item.databaseId).some((r) => {
      const team = r.reviewer.kind === "team" ? context.store.teamById(r.reviewer.teamId) : undefined;
      return team !== undefined && same(`${team.orgLogin}/${team.slug}`, value);
    });
    case "status": return (item) => isPr(item) && item.checkState !== null
      && (lower === "failure" ? ["FAILURE", "ERROR"].includes(item.checkState) : item.checkState === value.toUpperCase());
    case "created": return dates ? (item) => dates(item.createdAt) : undefined;
    case "updated": return dates ? (item) => dates(item.updatedAt) : undefined;
    case "closed": return dates ? (item) => dates(item.closedAt) : undefined;
    case "merged": return dates ? (item) => isPr(item) && dates(item.mergedAt) : undefined;
    case "comments": {
      const count = numberRange(value);
      return count ? (item) => count(context.store.commentsOf(item.repositoryId, item.number).length) : undefined;
    }
    case "archived": case "language": case "milestone": case "project": return () => true;
    default: return undefined;
  }
}

/** The qualifiers issue search knows (GitHub's "Searching issues and pull requests"); others are text. */
export const ISSUE_QUALIFIERS: ReadonlySet<string> = new Set([
  "repo", "org", "user", "is", "type", "state", "label", "no", "author", "assignee", "commenter", "involves", "mentions",
  "base", "head", "draft", "review", "reviewed-by", "review-requested", "team-review-requested", "status", "created",
  "updated", "closed", "merged", "comments", "in", "sort", "archived", "language", "milestone", "project", "reason",
  "linked", "interactions", "reactions", "team", "app", "sha",
]);

const SORTS: Record<string, (item: Item, context: ResolverContext) => number> = {
  created: (item) => item.createdAt.getTime(),
  updated: (item) => item.updatedAt.getTime(),
  comments: (item, context) => context.store.commentsOf(item.repositoryId, item.number).length,
};

/** An order unrelated to dates or numbers, the same every time for the same item. */
const shuffleKey = (item: Item) => createHash("sha1").update(`${item.__typename}:${item.databaseId}`).digest().readUInt32BE(0);

/**
 * GitHub's "best match": without a `sort:` qualifier results come by relevance (its REST search docs,
 * "Ranking search results"), a model it does not publish. The emulator scores the words' occurrences
 * (title thrice the body) and breaks ties in a fixed pseudo-random order, deliberately unrelated to
 * dates, so that a client relying on the default order for "newest first" is caught.
 */
function bestMatch(words: SearchTerm[]): (a: Item, b: Item) => number {
  const score = (item: Item) => words.filter((w) => !w.negated).reduce((sum, w) => {
    const word = w.value.toLowerCase();
    const count = (text: string) => text.toLowerCase().split(word).length - 1;
    return sum + 3 * count(item.title) + count(item.body);
  }, 0);
  return (a, b) => score(b) - score(a) || shuffleKey(a) - shuffleKey(b);
}

/** `sort:created`, `sort:updated`, `sort:comments`, each `-asc` or `-desc` (desc when omitted). */
function sorter(value: string, context: ResolverContext): (a: Item, b: Item) => number {
  const [field, direction] = value.toLowerCase().split("-");
  const key = SORTS[field] ?? SORTS.created;
  const sign = direction === "asc" ? 1 : -1;
  return (a, b) => sign * (key(a, context) - key(b, context) || a.repositoryId - b.repositoryId || a.number - b.number);
}

/** Every issue and pull request the key may read that the query matches, in the query's order. */
export function searchIssues(query: string, context: ResolverContext): Item[] {
  const tooLong = searchLimitProblem(query, ISSUE_QUALIFIERS);
  // GitHub's wording for GraphQL is not documented; REST calls the same refusal "Validation Failed".
  if (tooLong) throw new GitHubResolverError("UNPROCESSABLE", tooLong);
  const scopes: SearchTerm[] = [];
  const predicates: Predicate[] = [];
  const words: SearchTerm[] = [];
  const inFields = new Set<string>();
  let sort: string | undefined;
  for (const term of parseSearchQuery(query)) {
    if (term.qualifier === "repo" || term.qualifier === "org" || term.qualifier === "user") {
      if (term.negated) predicates.push((item) => !scopeMatches(term, item, context));
      else scopes.push(term);
      continue;
    }
    if (term.qualifier === "sort") { sort = term.value; continue; }
    if (term.qualifier === "in") { for (const f of term.value.toLowerCase().split(",")) inFields.add(f); continue; }
    const predicate = term.qualifier ? qualifierPredicate(term, context) : undefined;
    if (predicate) predicates.push(term.negated ? (item) => !predicate(item) : predicate);
    else words.push(term.qualifier ? { negated: term.negated, value: `${term.qualifier}:${term.value}` } : term);
  }
  const texts = (item: Item): string[] => {
    const fields = inFields.size === 0 ? ["title", "body"] : [...inFields];
    const out: string[] = [];
    if (fields.includes("title")) out.push(item.title);
    if (fields.includes("body")) out.push(item.body);
    if (fields.includes("comments")) out.push(...context.store.commentsOf(item.repositoryId, item.number).map((c) => c.body));
    return out;
  };
  return context.store.allIssuesAndPullRequests()
    .filter((item) => {
      const repo = context.store.repositoryById(item.repositoryId);
      return repo !== undefined && context.access.canRead(repo, isPr(item) ? "pull_requests" : "issues");
    })
    .filter((item) => scopes.length === 0 || scopes.some((s) => scopeMatches(s, item, context)))
    .filter((item) => predicates.every((p) => p(item)) && matchesWords(words, texts(item)))
    .sort(sort === undefined ? bestMatch(words) : sorter(sort, context));
}
