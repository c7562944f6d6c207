import { paginate, readConnectionArgs } from "./connection";
import { notFound } from "./errors";
import { encodeNodeId } from "./node-id";
import {
  int, objectArg, optionalString, repoPath, requireRead, str, strings, WEB,
} from "./resolver-helpers";
import { defineType, passthrough, type Args, type ResolverContext } from "./resolver-kit";
import type { IssueOrPullRequestRecord, IssueRecord, LabelRecord, PullRequestRecord, RepositoryRecord } from "./store";

// Repository: its issues and pull requests (look-ups by number, filtered lists), labels, assignable users.

function labelNames(item: IssueOrPullRequestRecord, context: ResolverContext): string[] {
  return item.labelIds.map((id) => context.store.labelById(id)?.name ?? "");
}

/**
 * `labels:` arguments match items carrying any of the names, compared exactly: GitHub's list filters are
 * case-sensitive, so "bug" finds nothing labelled "Bug" (cli/cli#1819).
 */
function hasAnyLabel(item: IssueOrPullRequestRecord, names: string[] | undefined, context: ResolverContext): boolean {
  if (!names || names.length === 0) return true;
  const own = labelNames(item, context);
  return names.some((n) => own.includes(n));
}

function timeOf(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** `orderBy: { field: CREATED_AT | UPDATED_AT | COMMENTS, direction }`; GitHub's default is oldest first. */
function ordered<T extends IssueOrPullRequestRecord>(items: T[], args: Args, context: ResolverContext): T[] {
  const orderBy = objectArg(args, "orderBy");
  const field = orderBy?.field ?? "CREATED_AT";
  const sign = orderBy?.direction === "DESC" ? -1 : 1;
  const key = (item: T): number => {
    if (field === "UPDATED_AT") return item.updatedAt.getTime();
    if (field === "COMMENTS") return context.store.commentsOf(item.repositoryId, item.number).length;
    return item.createdAt.getTime();
  };
  return [...items].sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
}

function matchesIssueFilters(issue: IssueRecord, filterBy: Args | undefined, context: ResolverContext): boolean {
  if (!filterBy) return true;
  if ("assignee" in filterBy) {
    const assignee = filterBy.assignee;
    if (assignee === null && issue.assigneeLogins.length > 0) return false;
    if (assignee === "*" && issue.assigneeLogins.length === 0) return false;
    if (typeof assignee === "string" && assignee !== "*" && !issue.assigneeLogins.some((l) => l.toLowerCase() === assignee.toLowerCase())) return false;
  }
  const createdBy = optionalString(filterBy, "createdBy");
  if (createdBy !== undefined && issue.authorLogin?.toLowerCase() !== createdBy.toLowerCase()) return false;
  if (!hasAnyLabel(issue, strings(filterBy, "labels"), context)) return false;
  const since = timeOf(filterBy.since);
  if (since !== undefined && issue.updatedAt.getTime() < since) return false;
  const states = strings(filterBy, "states");
  if (states && !states.includes(issue.state)) return false;
  return true;
}

function issuesOf(repo: RepositoryRecord, args: Args, context: ResolverContext): IssueRecord[] {
  const states = strings(args, "states");
  const labels = strings(args, "labels");
  const filterBy = objectArg(args, "filterBy");
  const issues = context.store.issuesOf(repo.databaseId).filter((issue) =>
    (!states || states.includes(issue.state)) && hasAnyLabel(issue, labels, context) && matchesIssueFilters(issue, filterBy, context));
  return ordered(issues, args, context);
}

function pullRequestsOf(repo: RepositoryRecord, args: Args, context: ResolverContext): PullRequestRecord[] {
  const states = strings(args, "states");
  const labels = strings(args, "labels");
  const base = optionalString(args, "baseRefName");
  const head = optionalString(args, "headRefName");
  const prs = context.store.pullRequestsOf(repo.databaseId).filter((pr) =>
    (!states || states.includes(pr.state)) && hasAnyLabel(pr, labels, context)
    && (base === undefined || pr.baseRefName === base) && (head === undefined || pr.headRefName === head));
  return ordered(prs, args, context);
}

/** `orderBy: { field: NAME | CREATED_AT, direction }`; the schema's default is CREATED_AT ascending. */
function orderedLabels(labels: LabelRecord[], args: Args): LabelRecord[] {
  const orderBy = objectArg(args, "orderBy");
  const sign = orderBy?.direction === "DESC" ? -1 : 1;
  const key = orderBy?.field === "NAME" ? (l: LabelRecord) => l.name.toLowerCase() : (l: LabelRecord) => l.createdAt.toISOString();
  return [...labels].sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.databaseId - b.databaseId));
}

function itemByNumber(repo: RepositoryRecord, args: Args, context: ResolverContext) {
  return context.store.issueOrPullRequest(repo.databaseId, int(args, "number"));
}

export const Repository = defineType<RepositoryRecord>({
  ...passthrough<RepositoryRecord>("databaseId", "name", "description", "isPrivate", "createdAt", "updatedAt"),
  id: (repo) => encodeNodeId("Repository", repo.databaseId),
  nameWithOwner: (repo) => `${repo.ownerLogin}/${repo.name}`,
  owner: (repo, _a, context) => context.store.owner(repo.ownerLogin) ?? null,
  visibility: (repo) => (repo.isPrivate ? "PRIVATE" : "PUBLIC"),
  url: (repo) => `${WEB}${repoPath(repo)}`,
  resourcePath: (repo) => repoPath(repo),
  hasIssuesEnabled: () => true,
  isArchived: () => false,
  isFork: () => false,
  isDisabled: () => false,
  isEmpty: (repo, _a, context) => context.store.filesOf(repo.databaseId).length === 0,
  pushedAt: (repo) => repo.updatedAt,
  defaultBranchRef: (repo) => ({ __typename: "Ref", name: repo.defaultBranch }),
  // Exact name only: "Bug" answers null where the label is "bug", without an error (git-bug#176).
  label: (repo, args, context) => context.store.labelExact(repo.databaseId, str(args, "name")) ?? null,
  // `query` "searches labels by name and description" (the schema), without regard to case.
  labels: (repo, args, context) => {
    const query = optionalString(args, "query")?.toLowerCase();
    const matches = (text: string | null) => (text ?? "").toLowerCase().includes(query ?? "");
    const labels = context.store.labelsOf(repo.databaseId).filter((l) => !query || matches(l.name) || matches(l.description));
    return paginate(orderedLabels(labels, args), readConnectionArgs(args));
  },
  assignableUsers: (repo, args, context) => {
    const query = optionalString(args, "query")?.toLowerCase();
    const users = context.store.assignableUsers(repo).filter((u) =>
      !query || u.login.toLowerCase().includes(query) || (u.name ?? "").toLowerCase().includes(query));
    return paginate(users, readConnectionArgs(args));
  },
  issue: (repo, args, context) => {
    requireRead(context, repo, "issues");
    const item = itemByNumber(repo, args, context);
    if (item?.__typename !== "Issue") throw notFound(`Could not resolve to an Issue with the number of ${int(args, "number")}.`);
    return item;
  },
  pullRequest: (repo, args, context) => {
    requireRead(context, repo, "pull_requests");
    const item = itemByNumber(repo, args, context);
    if (item?.__typename !== "PullRequest") throw notFound(`Could not resolve to a PullRequest with the number of ${int(args, "number")}.`);
    return item;
  },
  issueOrPullRequest: (repo, args, context) => {
    const item = itemByNumber(repo, args, context);
    if (!item) throw notFound(`Could not resolve to an issue or pull request with the number of ${int(args, "number")}.`);
    requireRead(context, repo, item.__typename === "Issue" ? "issues" : "pull_requests");
    return item;
  },
  issues: (repo, args, context) => {
    requireRead(context, repo, "issues");
    return paginate(issuesOf(repo, args, context), readConnectionArgs(args));
  },
  pullRequests: (repo, args, context) => {
    requireRead(context, repo, "pull_requests");
    return paginate(pullRequestsOf(repo, args, context), readConnectionArgs(args));
  },
});

export const Ref = defineType<{ name: string }>({
  name: (ref) => ref.name,
  prefix: () => "refs/heads/",
});
