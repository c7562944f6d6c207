import { badUserInput, ErrorCode, GatewayError } from "../errors";
import type { Detail } from "./batch/lookup";
import type { GitHubSession } from "./github-session";
import {
  GatewayRepositoryIssuesDocument, GatewaySearchIssuesCoreDocument, GatewaySearchIssuesFullDocument, GatewaySearchPullRequestsCoreDocument,
  GatewaySearchPullRequestsFullDocument, type IssueFilters,
} from "./generated/github-operations";
import type { GitHubIssueConnection, GitHubIssueState } from "../../resolvers/types/github-issue.type";
import type { GitHubPullRequestConnection, GitHubPullRequestState } from "../../resolvers/types/github-pull-request.type";
import type { GitHubSearchOrder } from "../../resolvers/types/github-search-order.type";
import { toIssue, toPullRequest } from "./github-mappers";
import { resolveLabels } from "./label-names";
import { checkSearchLimits, hasSort, ISSUE_QUALIFIERS, namesKind, namesOwner } from "./search-query";

export const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

export function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE}.`, "first");
  return n;
}

/**
 * The longest names GitHub gives: a login 39 characters, a repository name 100 (its account and repository
 * naming rules), a branch 255. A longer value names nothing, and would only make the request longer than
 * GitHub's front door takes (REST code search sends the query in the URL).
 */
const LONGEST_NAME: Record<string, number> = { owner: 39, author: 39, repo: 100, base: 255 };

/**
 * A caller's value for a qualifier. GitHub's search cannot express a double quote inside a value, and
 * dropping it would search a different name (`ac"me` would become `acme`), so such a value is refused.
 */
export function qualifierValue<T extends string | null | undefined>(value: T, field: string): T {
  if (value?.includes('"')) throw badUserInput(`\`${field}\` cannot contain a double quote: GitHub's search has no way to express one.`, field);
  const longest = LONGEST_NAME[field];
  if (value && longest && value.length > longest) throw badUserInput(`\`${field}\` is longer than any name GitHub gives (${longest} characters).`, field);
  return value;
}

/** Quotes a qualifier value when it has spaces (`label:"needs triage"`); values pass through qualifierValue first. */
export const qualifier = (name: string, value: string) => (/\s/.test(value) ? `${name}:"${value}"` : `${name}:${value}`);

/**
 * GitHub's cursors are short base64 text. Anything with spaces, control characters or non-ASCII, or
 * longer than any cursor, is refused here: GitHub's refusal of a cursor would read as an outage.
 * An empty one means the first page, as in integrationEvents.
 */
export function cursorOf(after: string | null | undefined): string | null {
  if (!after) return null;
  if (after.length > 1000 || !/^[\x21-\x7e]+$/.test(after)) throw badUserInput("The `after` cursor is not one GitHub returned.", "after");
  return after;
}

/**
 * A search that names no repository, organisation or user stays within the owners the key can see;
 * GitHub would otherwise search all of public GitHub.
 */
export async function scoped(github: GitHubSession, query: string): Promise<string> {
  if (namesOwner(query)) return query;
  const scope = await github.searchScope();
  // Never fall back to an unscoped search: with no owner known, there is nothing the key may search.
  if (scope.length === 0) throw new GatewayError(ErrorCode.GITHUB_PERMISSION_DENIED, "The connected key can see no repositories to search.");
  return `${query} ${scope.join(" ")}`.trim();
}

/** GitHub's `sort:` qualifier for each order; its own default is "best match", which is no order a person can name. */
const SORT_QUALIFIER: Record<GitHubSearchOrder, string | null> = {
  NEWEST: "sort:created-desc",
  OLDEST: "sort:created-asc",
  RECENTLY_UPDATED: "sort:updated-desc",
  LEAST_RECENTLY_UPDATED: "sort:updated-asc",
  MOST_COMMENTED: "sort:comments-desc",
  BEST_MATCH: null,
};

/**
 * A search query in a stated order: the caller's `sort`, else the query's own `sort:` qualifier, else
 * newest first. Without a `sort:` GitHub returns "best match" (its REST search docs), which would make
 * "open bug issues" come in an order nobody asked for.
 */
function ordered(query: string, sort: GitHubSearchOrder | null | undefined): string {
  if (sort && hasSort(query)) throw badUserInput("The order is given twice: by `sort` and by a sort: qualifier in the query. Give one.", "sort");
  if (!sort && hasSort(query)) return query;
  const q = SORT_QUALIFIER[sort ?? "NEWEST"];
  return q ? `${query} ${q}` : query;
}

interface SearchPage {
  issueCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Checks the caller's text against GitHub's limits (qualifiers aside), then scopes it to the key's owners. */
async function searchText(github: GitHubSession, query: string): Promise<string> {
  checkSearchLimits(query, ISSUE_QUALIFIERS);
  return scoped(github, query);
}

export interface IssueSearch {
  query: string;
  first?: number | null;
  after?: string | null;
  sort?: GitHubSearchOrder | null;
  /** `core` when the caller selected none of an issue's connections (labels, assignees, comment count). */
  detail?: Detail;
}

/** GitHub's issue search, issues only (`is:issue` unless the query says otherwise), in a stated order. */
export async function searchIssues(github: GitHubSession, a: IssueSearch): Promise<GitHubIssueConnection> {
  if (!a.query.trim()) throw badUserInput("The search query is empty.", "query");
  const typed = namesKind(a.query) ? a.query : `${a.query} is:issue`;
  const q = ordered(await searchText(github, typed), a.sort);
  const variables = { q, first: pageSize(a.first), after: cursorOf(a.after) };
  const { search } = a.detail === "core" ? await github.query(GatewaySearchIssuesCoreDocument, variables) : await github.query(GatewaySearchIssuesFullDocument, variables);
  return page(search, (n) => (n?.__typename === "Issue" ? [toIssue(n)] : []));
}

/** A page of search results as a connection of the gateway's items (GitHubIssueConnection, GitHubPullRequestConnection). */
function page<N, T>(search: SearchPage & { nodes: N[] | null }, map: (node: N) => T[]) {
  return { nodes: (search.nodes ?? []).flatMap(map), totalCount: search.issueCount, pageInfo: search.pageInfo };
}

export interface PullRequestSearch {
  owner?: string | null;
  repo?: string | null;
  states?: GitHubPullRequestState[] | null;
  mergedSince?: Date | null;
  mergedUntil?: Date | null;
  author?: string | null;
  base?: string | null;
  first?: number | null;
  after?: string | null;
  sort?: GitHubSearchOrder | null;
  /** `core` when the caller selected neither labels nor reviewStatus. */
  detail?: Detail;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Pull requests through search, so that merge dates, authors and owners can filter ("merged this week"), newest first unless asked otherwise. */
export async function searchPullRequests(github: GitHubSession, a: PullRequestSearch): Promise<GitHubPullRequestConnection> {
  if (a.repo && !a.owner) throw badUserInput("`repo` needs `owner`.", "owner");
  for (const field of ["owner", "repo", "author", "base"] as const) qualifierValue(a[field], field);
  const parts = ["is:pr"];
  if (a.owner && a.repo) parts.push(qualifier("repo", `${a.owner}/${a.repo}`));
  else if (a.owner) parts.push(qualifier("user", a.owner));
  const states = new Set(a.states ?? []);
  if (a.mergedSince || a.mergedUntil) states.add("MERGED");
  if (states.size === 1) parts.push(states.has("OPEN") ? "is:open" : states.has("MERGED") ? "is:merged" : "is:closed is:unmerged");
  else if (states.size === 2 && !states.has("OPEN")) parts.push("is:closed");
  else if (states.size === 2 && !states.has("MERGED")) parts.push("is:unmerged");
  if (a.mergedSince && a.mergedUntil) parts.push(`merged:${day(a.mergedSince)}..${day(a.mergedUntil)}`);
  else if (a.mergedSince) parts.push(`merged:>=${day(a.mergedSince)}`);
  else if (a.mergedUntil) parts.push(`merged:<=${day(a.mergedUntil)}`);
  if (a.author) parts.push(qualifier("author", a.author));
  if (a.base) parts.push(qualifier("base", a.base));
  const q = ordered(await searchText(github, parts.join(" ")), a.sort);
  const variables = { q, first: pageSize(a.first), after: cursorOf(a.after) };
  const { search } = a.detail === "core"
    ? await github.query(GatewaySearchPullRequestsCoreDocument, variables)
    : await github.query(GatewaySearchPullRequestsFullDocument, variables);
  return page(search, (n) => (n?.__typename === "PullRequest" ? [toPullRequest(n)] : []));
}

export interface IssueList {
  owner: string;
  repo: string;
  states?: GitHubIssueState[] | null;
  labels?: string[] | null;
  assignee?: string | null;
  since?: Date | null;
  first?: number | null;
  after?: string | null;
}

/**
 * GitHub's `IssueFilters.assignee`: a login, `*` for any, and null for issues with no assignee (the
 * schema's own description). Absent, it filters nothing: so it is left out unless the caller gave one,
 * and the caller's `none` becomes null.
 */
function assigneeFilter(assignee: string | null | undefined): Pick<IssueFilters, "assignee"> {
  if (assignee === undefined || assignee === null || assignee === "") return {};
  return { assignee: assignee.toLowerCase() === "none" ? null : assignee };
}

/** A repository's issues, newest first, filtered by GitHub itself. */
export async function listIssues(github: GitHubSession, a: IssueList): Promise<GitHubIssueConnection> {
  const first = pageSize(a.first);
  const after = cursorOf(a.after);
  // GitHub's filter matches label names exactly; the repository's own spelling is looked up first.
  const labels = a.labels?.length ? (await resolveLabels(github, a.owner, a.repo, a.labels)).map((l) => l.name) : null;
  const filter: IssueFilters = {
    states: a.states?.length ? a.states : null,
    labels,
    ...assigneeFilter(a.assignee),
    since: a.since ? a.since.toISOString() : null,
  };
  const data = await github.query(GatewayRepositoryIssuesDocument, { owner: a.owner, name: a.repo, first, after, filter });
  if (!data.repository) return { nodes: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } };
  const issues = data.repository.issues;
  return { nodes: (issues.nodes ?? []).flatMap((n) => (n ? [toIssue(n)] : [])), totalCount: issues.totalCount, pageInfo: issues.pageInfo };
}
