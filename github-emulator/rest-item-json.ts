import { fullNameOf } from "./access";
import { simpleUserJson } from "./code-search";
import { encodeNodeId } from "./node-id";
import { gitHubDateTime } from "./resolver-kit";
import { fullRepositoryJson } from "./rest-accounts";
import { associationIn } from "./resolvers-issue";
import { baseOidOf, mergeStateStatusOf } from "./resolvers-pull-request";
import type {
  CommentRecord, EmulatorStore, IssueOrPullRequestRecord, LabelRecord, PullRequestRecord, RepositoryRecord, ReviewRecord, TeamRecord,
} from "./store";

// GitHub's REST shapes of issues, comments, pull requests and reviews (its OpenAPI description's "Issue",
// "Issue Comment", "Pull Request", "Pull Request Review"), built from the same records the GraphQL side
// resolves, so both sides answer the same facts. Every answer is validated against the description
// (rest-handler.ts), so a field GitHub requires cannot go missing here unnoticed.

const API = "https://api.github.com";
const WEB = "https://github.com";
/** GitHub shows a deleted account as `ghost` (user 10137) where its REST shapes require a user. */
const GHOST = { login: "ghost", id: 10137 };

const date = (d: Date | null) => (d ? gitHubDateTime(d) : null);

export function userJson(login: string | null, store: EmulatorStore): Record<string, unknown> {
  const user = login ? store.user(login) : undefined;
  return user ? simpleUserJson(user.login, user.databaseId, "User") : simpleUserJson(GHOST.login, GHOST.id, "User");
}

function labelJson(label: LabelRecord, repo: RepositoryRecord): Record<string, unknown> {
  return {
    id: label.databaseId, node_id: encodeNodeId("Label", label.databaseId),
    url: `${API}/repos/${fullNameOf(repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name, description: label.description, color: label.color, default: false,
  };
}

function labelsOf(item: IssueOrPullRequestRecord, repo: RepositoryRecord, store: EmulatorStore) {
  return item.labelIds.map((id) => store.labelById(id)).filter((l): l is LabelRecord => l !== undefined).map((l) => labelJson(l, repo));
}

function assigneesOf(item: IssueOrPullRequestRecord, store: EmulatorStore) {
  const assignees = item.assigneeLogins.map((login) => userJson(login, store));
  return { assignee: assignees[0] ?? null, assignees };
}

/** `/repos/o/r/issues/N` (REST) and `https://github.com/o/r/issues/N` or `.../pull/N` (web). */
function itemUrls(item: Pick<IssueOrPullRequestRecord, "__typename" | "number">, repo: RepositoryRecord) {
  const issue = `${API}/repos/${fullNameOf(repo)}/issues/${item.number}`;
  const html = `${WEB}/${fullNameOf(repo)}/${item.__typename === "PullRequest" ? "pull" : "issues"}/${item.number}`;
  return { issue, html, pull: `${API}/repos/${fullNameOf(repo)}/pulls/${item.number}` };
}

/** "Issue": a pull request's number answers the pull request as an issue, with `pull_request` (GitHub: every pull request is an issue). */
export function issueJson(item: IssueOrPullRequestRecord, repo: RepositoryRecord, store: EmulatorStore): Record<string, unknown> {
  const urls = itemUrls(item, repo);
  const pr = item.__typename === "PullRequest" ? item : undefined;
  return {
    id: item.databaseId, node_id: encodeNodeId(item.__typename, item.databaseId), url: urls.issue,
    repository_url: `${API}/repos/${fullNameOf(repo)}`, labels_url: `${urls.issue}/labels{/name}`, comments_url: `${urls.issue}/comments`,
    events_url: `${urls.issue}/events`, html_url: urls.html, timeline_url: `${urls.issue}/timeline`,
    number: item.number, state: item.state === "OPEN" ? "open" : "closed",
    state_reason: item.__typename === "Issue" ? (item.stateReason?.toLowerCase() ?? null) : null,
    title: item.title, body: item.body, user: userJson(item.authorLogin, store), labels: labelsOf(item, repo, store),
    ...assigneesOf(item, store), milestone: null, locked: false, active_lock_reason: null,
    comments: store.commentsOf(item.repositoryId, item.number).length,
    ...(pr ? {
      pull_request: { url: urls.pull, html_url: urls.html, diff_url: `${urls.html}.diff`, patch_url: `${urls.html}.patch`, merged_at: date(pr.mergedAt) },
      draft: pr.isDraft,
    } : {}),
    closed_at: date(item.closedAt), created_at: date(item.createdAt), updated_at: date(item.updatedAt), closed_by: null,
    author_association: associationIn(store, item.authorLogin, item.repositoryId),
    // The emulator keeps no sub-issues.
    sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
  };
}

/** "Issue Comment". */
export function commentJson(comment: CommentRecord, repo: RepositoryRecord, store: EmulatorStore): Record<string, unknown> {
  const urls = itemUrls(store.issueOrPullRequest(comment.repositoryId, comment.number) ?? { __typename: "Issue", number: comment.number }, repo);
  return {
    id: comment.databaseId, node_id: encodeNodeId("IssueComment", comment.databaseId),
    url: `${API}/repos/${fullNameOf(repo)}/issues/comments/${comment.databaseId}`, html_url: `${urls.html}#issuecomment-${comment.databaseId}`,
    body: comment.body, user: userJson(comment.authorLogin, store), created_at: date(comment.createdAt), updated_at: date(comment.updatedAt),
    issue_url: urls.issue, author_association: associationIn(store, comment.authorLogin, comment.repositoryId),
  };
}

function teamJson(team: TeamRecord, store: EmulatorStore): Record<string, unknown> {
  const orgId = store.organization(team.orgLogin)?.databaseId ?? 0;
  const url = `${API}/organizations/${orgId}/team/${team.databaseId}`;
  return {
    id: team.databaseId, node_id: encodeNodeId("Team", team.databaseId), url, members_url: `${url}/members{/member}`,
    name: team.name, description: team.description, permission: "pull", privacy: "closed", notification_setting: "notifications_enabled",
    html_url: `${WEB}/orgs/${team.orgLogin}/teams/${team.slug}`, repositories_url: `${url}/repos`, slug: team.slug,
    type: "organization", organization_id: orgId,
  };
}

const MERGEABLE: Record<PullRequestRecord["mergeable"], boolean | null> = { MERGEABLE: true, CONFLICTING: false, UNKNOWN: null };

/** "Pull Request": review requests split into users and teams (enterprise teams are left out, as REST has no shape for them). */
export function pullRequestJson(pr: PullRequestRecord, repo: RepositoryRecord, store: EmulatorStore): Record<string, unknown> {
  const urls = itemUrls(pr, repo);
  const requests = store.reviewRequestsOf(pr.databaseId).map((r) => r.reviewer);
  const org = store.organization(repo.ownerLogin);
  const ownerJson = org ? simpleUserJson(org.login, org.databaseId, "Organization") : userJson(repo.ownerLogin, store);
  const side = (ref: string, sha: string) => ({ label: `${repo.ownerLogin}:${ref}`, ref, sha, user: ownerJson, repo: fullRepositoryJson(repo, store) });
  const links = {
    self: urls.pull, html: urls.html, issue: urls.issue, comments: `${urls.issue}/comments`, review_comments: `${urls.pull}/comments`,
    review_comment: `${API}/repos/${fullNameOf(repo)}/pulls/comments{/number}`, commits: `${urls.pull}/commits`,
    statuses: `${API}/repos/${fullNameOf(repo)}/statuses/${pr.headOid}`,
  };
  return {
    url: urls.pull, id: pr.databaseId, node_id: encodeNodeId("PullRequest", pr.databaseId), html_url: urls.html,
    diff_url: `${urls.html}.diff`, patch_url: `${urls.html}.patch`, issue_url: urls.issue, commits_url: links.commits,
    review_comments_url: links.review_comments, review_comment_url: links.review_comment, comments_url: links.comments,
    statuses_url: links.statuses, number: pr.number, state: pr.state === "OPEN" ? "open" : "closed", locked: false,
    title: pr.title, user: userJson(pr.authorLogin, store), body: pr.body, labels: labelsOf(pr, repo, store), milestone: null,
    active_lock_reason: null, created_at: date(pr.createdAt), updated_at: date(pr.updatedAt), closed_at: date(pr.closedAt),
    merged_at: date(pr.mergedAt), merge_commit_sha: null, ...assigneesOf(pr, store),
    requested_reviewers: requests.flatMap((r) => (r.kind === "user" ? [userJson(r.login, store)] : [])),
    requested_teams: requests.flatMap((r) => {
      const team = r.kind === "team" ? store.teamById(r.teamId) : undefined;
      return team ? [teamJson(team, store)] : [];
    }),
    head: side(pr.headRefName, pr.headOid), base: side(pr.baseRefName, baseOidOf(pr)),
    _links: Object.fromEntries(Object.entries(links).map(([name, href]) => [name, { href }])),
    author_association: associationIn(store, pr.authorLogin, pr.repositoryId), auto_merge: null, draft: pr.isDraft,
    merged: pr.state === "MERGED", mergeable: pr.state === "OPEN" ? MERGEABLE[pr.mergeable] : null,
    rebaseable: pr.state === "OPEN" ? MERGEABLE[pr.mergeable] : null,
    mergeable_state: mergeStateStatusOf(pr, store).toLowerCase(), merged_by: null,
    comments: store.commentsOf(pr.repositoryId, pr.number).length, review_comments: 0, maintainer_can_modify: false,
    commits: pr.commitCount, additions: pr.additions, deletions: pr.deletions, changed_files: pr.changedFiles,
  };
}

/** "Pull Request Review": pending reviews have no `submitted_at`. */
export function reviewJson(review: ReviewRecord, pr: PullRequestRecord, repo: RepositoryRecord, store: EmulatorStore): Record<string, unknown> {
  const urls = itemUrls(pr, repo);
  const html = `${urls.html}#pullrequestreview-${review.databaseId}`;
  return {
    id: review.databaseId, node_id: encodeNodeId("PullRequestReview", review.databaseId), user: userJson(review.authorLogin, store),
    body: review.body, state: review.state, html_url: html, pull_request_url: urls.pull,
    _links: { html: { href: html }, pull_request: { href: urls.pull } },
    ...(review.submittedAt ? { submitted_at: date(review.submittedAt) } : {}),
    commit_id: pr.headOid, author_association: associationIn(store, review.authorLogin, review.repositoryId),
  };
}
