import type {
  GatewayIssueCoreFragment,
  GatewayIssueFieldsFragment,
  GatewayPullRequestCoreFragment,
  GatewayPullRequestFieldsFragment,
} from "./generated/github-operations";
import type { IssueModel, PullRequestModel } from "./github-models";
import { reviewStatusOf } from "./review-status";

type Named<T> = { nodes: Array<T | null> | null } | null | undefined;
export const names = <T>(c: Named<T>, pick: (n: T) => string): string[] => (c?.nodes ?? []).flatMap((n) => (n ? [pick(n)] : []));
const date = (v: string | null): Date | null => (v ? new Date(v) : null);

/** A look-up fetched only the core when the caller asked for no connection field: those stay empty. */
const isFullIssue = (i: GatewayIssueCoreFragment | GatewayIssueFieldsFragment): i is GatewayIssueFieldsFragment => "comments" in i;
const isFullPullRequest = (p: GatewayPullRequestCoreFragment | GatewayPullRequestFieldsFragment): p is GatewayPullRequestFieldsFragment => "commits" in p;

/** What issues and pull requests share. */
function itemOf(i: GatewayIssueCoreFragment | GatewayPullRequestCoreFragment) {
  return {
    id: i.id,
    number: i.number,
    repository: i.repository.nameWithOwner,
    title: i.title,
    body: i.body,
    url: i.url,
    author: i.author?.login ?? null,
    createdAt: new Date(i.createdAt),
    updatedAt: new Date(i.updatedAt),
    closedAt: date(i.closedAt),
  };
}

export function toIssue(i: GatewayIssueCoreFragment | GatewayIssueFieldsFragment): IssueModel {
  const full = isFullIssue(i) ? i : undefined;
  return {
    ...itemOf(i),
    state: i.state,
    labels: names(full?.labels, (l) => l.name),
    assignees: names(full?.assignees, (a) => a.login),
    commentCount: full?.comments.totalCount ?? 0,
  };
}

export function toPullRequest(p: GatewayPullRequestCoreFragment | GatewayPullRequestFieldsFragment): PullRequestModel {
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
