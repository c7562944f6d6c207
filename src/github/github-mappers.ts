import type { GatewayIssueFieldsFragment, GatewayPullRequestFieldsFragment } from "./generated/github-operations";
import type { IssueModel, PullRequestModel } from "./github-models";
import { reviewStatusOf } from "./review-status";

type Named<T> = { nodes: Array<T | null> | null } | null | undefined;
export const names = <T>(c: Named<T>, pick: (n: T) => string): string[] => (c?.nodes ?? []).flatMap((n) => (n ? [pick(n)] : []));
const date = (v: string | null): Date | null => (v ? new Date(v) : null);

export function toIssue(i: GatewayIssueFieldsFragment): IssueModel {
  return {
    id: i.id,
    number: i.number,
    repository: i.repository.nameWithOwner,
    title: i.title,
    body: i.body,
    state: i.state,
    url: i.url,
    author: i.author?.login ?? null,
    labels: names(i.labels, (l) => l.name),
    assignees: names(i.assignees, (a) => a.login),
    commentCount: i.comments.totalCount,
    createdAt: new Date(i.createdAt),
    updatedAt: new Date(i.updatedAt),
    closedAt: date(i.closedAt),
  };
}

export function toPullRequest(p: GatewayPullRequestFieldsFragment): PullRequestModel {
  return {
    id: p.id,
    number: p.number,
    repository: p.repository.nameWithOwner,
    title: p.title,
    body: p.body,
    state: p.pullRequestState,
    url: p.url,
    author: p.author?.login ?? null,
    labels: names(p.labels, (l) => l.name),
    isDraft: p.isDraft,
    baseRefName: p.baseRefName,
    headRefName: p.headRefName,
    createdAt: new Date(p.createdAt),
    updatedAt: new Date(p.updatedAt),
    closedAt: date(p.closedAt),
    mergedAt: date(p.mergedAt),
    reviewStatus: reviewStatusOf(p),
  };
}
