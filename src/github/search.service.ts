import { badUserInput, ErrorCode, GatewayError } from "../errors";
import type { GitHubSession } from "./github-session";
import { GatewayRepositoryIssuesDocument, GatewaySearchIssuesDocument, type GatewaySearchIssuesQuery, type IssueFilters } from "./generated/github-operations";
import { toIssue, toPullRequest } from "./github-mappers";
import type { Connection, IssueModel, PullRequestModel } from "./github-models";

export const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
/** GitHub refuses longer search text (qualifiers aside); checked here so the caller learns why. */
export const MAX_SEARCH_TEXT = 256;

export function pageSize(first: number | null | undefined): number {
  const n = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE}.`, "first");
  return n;
}

const SCOPED = /(^|\s)(repo|org|user):\S/i;
/** Quoted text (to its closing quote, or the end) is a phrase to GitHub, never a qualifier: `"x repo:y"` names no repository. */
const withoutPhrases = (query: string) => query.replace(/"[^"]*("|$)/g, '""');

/**
 * A caller's value for a qualifier. GitHub's search cannot express a double quote inside a value, and
 * dropping it would search a different name (`ac"me` would become `acme`), so such a value is refused.
 */
export function qualifierValue<T extends string | null | undefined>(value: T, field: string): T {
  if (value?.includes('"')) throw badUserInput(`\`${field}\` cannot contain a double quote: GitHub's search has no way to express one.`, field);
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
  if (SCOPED.test(withoutPhrases(query))) return query;
  const scope = await github.searchScope();
  // Never fall back to an unscoped search: with no owner known, there is nothing the key may search.
  if (scope.length === 0) throw new GatewayError(ErrorCode.GITHUB_PERMISSION_DENIED, "The connected key can see no repositories to search.");
  return `${query} ${scope.join(" ")}`.trim();
}

type SearchNode = NonNullable<NonNullable<GatewaySearchIssuesQuery["search"]["nodes"]>[number]>;

async function search(github: GitHubSession, query: string, first: number, after?: string | null) {
  if (query.length > MAX_SEARCH_TEXT) throw badUserInput(`The search is ${query.length} characters; GitHub accepts at most ${MAX_SEARCH_TEXT}.`, "query");
  const cursor = cursorOf(after);
  const data = await github.query(GatewaySearchIssuesDocument, { q: await scoped(github, query), first, after: cursor });
  const nodes = (data.search.nodes ?? []).filter((n): n is SearchNode => n !== null);
  return { nodes, totalCount: data.search.issueCount, pageInfo: data.search.pageInfo };
}

/** GitHub's issue search, issues only (`is:issue` unless the query says otherwise). */
export async function searchIssues(github: GitHubSession, query: string, first?: number | null, after?: string | null): Promise<Connection<IssueModel>> {
  if (!query.trim()) throw badUserInput("The search query is empty.", "query");
  const q = /(^|\s)(is|type):(issue|pr|pull-request)\b/i.test(query) ? query : `${query} is:issue`;
  const r = await search(github, q, pageSize(first), after);
  return { ...r, nodes: r.nodes.flatMap((n) => (n.__typename === "Issue" ? [toIssue(n)] : [])) };
}

export interface PullRequestSearch {
  owner?: string | null;
  repo?: string | null;
  states?: ("OPEN" | "CLOSED" | "MERGED")[] | null;
  mergedSince?: Date | null;
  mergedUntil?: Date | null;
  author?: string | null;
  base?: string | null;
  first?: number | null;
  after?: string | null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Pull requests through search, so that merge dates, authors and owners can filter ("merged this week"). */
export async function searchPullRequests(github: GitHubSession, a: PullRequestSearch): Promise<Connection<PullRequestModel>> {
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
  const r = await search(github, parts.join(" "), pageSize(a.first), a.after);
  return { ...r, nodes: r.nodes.flatMap((n) => (n.__typename === "PullRequest" ? [toPullRequest(n)] : [])) };
}

export interface IssueList {
  owner: string;
  repo: string;
  states?: ("OPEN" | "CLOSED")[] | null;
  labels?: string[] | null;
  assignee?: string | null;
  since?: Date | null;
  first?: number | null;
  after?: string | null;
}

/** A repository's issues, newest first, filtered by GitHub itself. */
export async function listIssues(github: GitHubSession, a: IssueList): Promise<Connection<IssueModel>> {
  const filter: IssueFilters = {
    states: a.states?.length ? a.states : null,
    labels: a.labels?.length ? a.labels : null,
    assignee: a.assignee ?? null,
    since: a.since ? a.since.toISOString() : null,
  };
  const data = await github.query(GatewayRepositoryIssuesDocument, { owner: a.owner, name: a.repo, first: pageSize(a.first), after: cursorOf(a.after), filter });
  if (!data.repository) return { nodes: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } };
  const issues = data.repository.issues;
  return { nodes: (issues.nodes ?? []).flatMap((n) => (n ? [toIssue(n)] : [])), totalCount: issues.totalCount, pageInfo: issues.pageInfo };
}
