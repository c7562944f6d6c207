import type { ThreadNode } from "./batch/lookup";
import type {
  GatewayCommentPageFragment,
  GatewayIssueCoreFragment,
  GatewayIssueFieldsFragment,
  GatewayPullRequestCoreFragment,
  GatewayPullRequestFieldsFragment,
} from "./generated/github-operations";
import type { GitHubIssue } from "../../resolvers/types/github-issue.type";
import type { GitHubItem } from "../../resolvers/types/github-item.type";
import type { GitHubPullRequest } from "../../resolvers/types/github-pull-request.type";
import type { GitHubComment, GitHubIssueThread } from "../../resolvers/types/github-thread.type";
import { reviewStatusOf } from "./review-status";
import { renderThreadMarkdown } from "./thread-markdown";

// The one step between GitHub's side (the fragments in schema/github/*.graphql, as generated) and the
// gateway's (the type-graphql classes the resolvers answer with): each item kind has one function here.

type Named<T> = { nodes: Array<T | null> | null } | null | undefined;
const names = <T>(c: Named<T>, pick: (n: T) => string): string[] => (c?.nodes ?? []).flatMap((n) => (n ? [pick(n)] : []));
const date = (v: string | null): Date | null => (v ? new Date(v) : null);

/** A look-up fetched only the core when the caller asked for no connection field: those stay empty. */
const isFullIssue = (i: GatewayIssueCoreFragment | GatewayIssueFieldsFragment): i is GatewayIssueFieldsFragment => "comments" in i;
const isFullPullRequest = (p: GatewayPullRequestCoreFragment | GatewayPullRequestFieldsFragment): p is GatewayPullRequestFieldsFragment => "commits" in p;

/** What issues and pull requests share. */
function itemOf(i: GatewayIssueCoreFragment | GatewayPullRequestCoreFragment): GitHubItem {
  return {
    id: i.id,
    number: i.number,
    repository: i.repository.nameWithOwner,
    title: i.title,
    body: i.body,
    url: i.url,
    author: i.author?.login ?? null,
    authorAssociation: i.authorAssociation,
    createdAt: new Date(i.createdAt),
    updatedAt: new Date(i.updatedAt),
    closedAt: date(i.closedAt),
  };
}

export function toIssue(i: GatewayIssueCoreFragment | GatewayIssueFieldsFragment): GitHubIssue {
  const full = isFullIssue(i) ? i : undefined;
  return {
    ...itemOf(i),
    state: i.state,
    labels: names(full?.labels, (l) => l.name),
    assignees: names(full?.assignees, (a) => a.login),
    commentCount: full?.comments.totalCount ?? 0,
  };
}

export function toPullRequest(p: GatewayPullRequestCoreFragment | GatewayPullRequestFieldsFragment): GitHubPullRequest {
  const full = isFullPullRequest(p) ? p : undefined;
  return {
    ...itemOf(p),
    state: p.pullRequestState,
    labels: names(full?.labels, (l) => l.name),
    isDraft: p.isDraft,
    baseRefName: p.baseRefName,
    headRefName: p.headRefName,
    mergedAt: date(p.mergedAt),
    reviewStatus: full && reviewStatusOf(full),
  };
}

export const toComments = (page: GatewayCommentPageFragment): GitHubComment[] =>
  (page.nodes ?? []).flatMap((c) => (c ? [{ id: c.id, author: c.author?.login ?? null, authorAssociation: c.authorAssociation, body: c.body, createdAt: new Date(c.createdAt), url: c.url }] : []));

/** A thread with the comments kept (its first page and any later ones, up to the caller's cap). */
export function toThread(node: ThreadNode, comments: GitHubComment[]): GitHubIssueThread {
  const thread: Omit<GitHubIssueThread, "markdown"> = {
    repository: node.repository.nameWithOwner,
    number: node.number,
    isPullRequest: node.__typename === "PullRequest",
    title: node.title,
    body: node.body,
    state: node.__typename === "PullRequest" ? node.pullRequestState : node.issueState,
    url: node.url,
    author: node.author?.login ?? null,
    authorAssociation: node.authorAssociation,
    labels: names(node.labels, (l) => l.name),
    assignees: names(node.assignees, (a) => a.login),
    linkedPullRequests: node.__typename === "Issue" ? (node.closedByPullRequestsReferences?.nodes ?? []).flatMap((p) => (p ? [p] : [])) : [],
    reviews: node.__typename === "PullRequest" ? (node.reviews?.nodes ?? []).flatMap((r) => (r ? [{ reviewer: r.author?.login ?? null, authorAssociation: r.authorAssociation, state: r.state, body: r.body }] : [])) : [],
    comments,
    totalComments: node.comments.totalCount,
    truncated: comments.length < node.comments.totalCount,
  };
  return { ...thread, markdown: renderThreadMarkdown(thread) };
}
