import { createHash } from "node:crypto";
import { paginate, readConnectionArgs } from "./connection";
import { encodeNodeId } from "./node-id";
import { acceptedPermission } from "./access";
import { forbidden } from "./errors";
import { itemPath, markdownToText, optionalString, strings, userOf, WEB } from "./resolver-helpers";
import { defineType, passthrough, type ResolverContext } from "./resolver-kit";
import { associationOf, issueLikeFields } from "./resolvers-issue";
import type {
  EmulatorStore, IssueRecord, MergeStateStatus, PullRequestRecord, ReviewDecision, ReviewRecord, ReviewRequestRecord,
} from "./store";

// Pull requests: review state, mergeability, commits with their status roll-up.

interface CommitSource {
  pr: PullRequestRecord;
  /** 1-based position among the pull request's commits; the last is the head. */
  position: number;
}

function commitOid(source: CommitSource): string {
  if (source.position === source.pr.commitCount) return source.pr.headOid;
  return createHash("sha1").update(`${source.pr.headOid}/${source.position}`).digest("hex");
}

/** The base branch's commit (the emulator keeps no history: a stable hash of the branch). */
export function baseOidOf(pr: PullRequestRecord): string {
  return createHash("sha1").update(`${pr.repositoryId}/${pr.baseRefName}`).digest("hex");
}

/** Each reviewer's latest submitted review, in submission order (optionally only APPROVED/CHANGES_REQUESTED). */
export function latestReviewsOf(pr: PullRequestRecord, store: EmulatorStore, opinionatedOnly: boolean): ReviewRecord[] {
  const latest = new Map<string, ReviewRecord>();
  for (const review of store.reviewsOf(pr.databaseId)) {
    if (!review.authorLogin || review.state === "PENDING") continue;
    if (opinionatedOnly && review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED") continue;
    latest.set(review.authorLogin, review);
  }
  return [...latest.values()].sort((a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0) || a.databaseId - b.databaseId);
}

/** Seeded value, else (when the base branch requires a review) what the reviewers' latest opinions say. */
export function reviewDecisionOf(pr: PullRequestRecord, store: EmulatorStore): ReviewDecision | null {
  if (pr.reviewDecision !== undefined) return pr.reviewDecision;
  if (!store.repositoryById(pr.repositoryId)?.requiresReview) return null;
  const opinions = latestReviewsOf(pr, store, true);
  if (opinions.some((r) => r.state === "CHANGES_REQUESTED")) return "CHANGES_REQUESTED";
  return opinions.some((r) => r.state === "APPROVED") ? "APPROVED" : "REVIEW_REQUIRED";
}

export function mergeStateStatusOf(pr: PullRequestRecord, store: EmulatorStore): MergeStateStatus {
  if (pr.mergeStateStatus) return pr.mergeStateStatus;
  if (pr.state !== "OPEN") return "UNKNOWN";
  if (pr.isDraft) return "DRAFT";
  if (pr.mergeable === "CONFLICTING") return "DIRTY";
  if (pr.mergeable === "UNKNOWN") return "UNKNOWN";
  const decision = reviewDecisionOf(pr, store);
  if (decision === "CHANGES_REQUESTED" || decision === "REVIEW_REQUIRED") return "BLOCKED";
  return pr.checkState && pr.checkState !== "SUCCESS" ? "UNSTABLE" : "CLEAN";
}

/** Pending reviews are visible to their author only. */
function visibleReviews(pr: PullRequestRecord, context: ResolverContext): ReviewRecord[] {
  return context.store.reviewsOf(pr.databaseId).filter((r) => r.state !== "PENDING" || r.authorLogin === context.viewer.login);
}

export const PullRequest = defineType<PullRequestRecord>({
  ...issueLikeFields<PullRequestRecord>(),
  ...passthrough<PullRequestRecord>("mergedAt", "isDraft", "baseRefName", "headRefName", "mergeable", "additions", "deletions", "changedFiles"),
  merged: (pr) => pr.state === "MERGED",
  mergedBy: () => null,
  mergeCommit: () => null,
  permalink: (pr, _a, context) => `${WEB}${itemPath(pr, context)}`,
  headRefOid: (pr) => pr.headOid,
  baseRefOid: (pr) => baseOidOf(pr),
  headRepository: (pr, _a, context) => context.store.repositoryById(pr.repositoryId) ?? null,
  baseRepository: (pr, _a, context) => context.store.repositoryById(pr.repositoryId) ?? null,
  isCrossRepository: () => false,
  maintainerCanModify: () => false,
  totalCommentsCount: (pr, _a, context) => context.store.commentsOf(pr.repositoryId, pr.number).length,
  reviewDecision: (pr, _a, context) => reviewDecisionOf(pr, context.store),
  mergeStateStatus: (pr, _a, context) => mergeStateStatusOf(pr, context.store),
  reviews: (pr, args, context) => {
    const states = strings(args, "states");
    const author = optionalString(args, "author")?.toLowerCase();
    const reviews = visibleReviews(pr, context).filter((r) =>
      (!states || states.includes(r.state)) && (author === undefined || r.authorLogin?.toLowerCase() === author));
    return paginate(reviews, readConnectionArgs(args));
  },
  latestReviews: (pr, args, context) => paginate(latestReviewsOf(pr, context.store, false), readConnectionArgs(args)),
  latestOpinionatedReviews: (pr, args, context) => paginate(latestReviewsOf(pr, context.store, true), readConnectionArgs(args)),
  reviewRequests: (pr, args, context) => paginate(context.store.reviewRequestsOf(pr.databaseId), readConnectionArgs(args)),
  commits: (pr, args) => {
    const commits: CommitSource[] = Array.from({ length: pr.commitCount }, (_, i) => ({ pr, position: i + 1 }));
    return paginate(commits, readConnectionArgs(args));
  },
  closingIssuesReferences: (pr, args, context) => {
    const issues = pr.closingIssueNumbers
      .map((n) => context.store.issueOrPullRequest(pr.repositoryId, n))
      .filter((i): i is IssueRecord => i?.__typename === "Issue");
    return paginate(issues, readConnectionArgs(args));
  },
});

export const PullRequestReview = defineType<ReviewRecord>({
  ...passthrough<ReviewRecord>("databaseId", "state", "body", "submittedAt", "createdAt"),
  id: (review) => encodeNodeId("PullRequestReview", review.databaseId),
  bodyText: (review) => markdownToText(review.body),
  author: (review, _a, context) => userOf(review.authorLogin, context),
  authorAssociation: (review, _a, context) => associationOf(review.authorLogin, review.repositoryId, context),
  updatedAt: (review) => review.submittedAt ?? review.createdAt,
  publishedAt: (review) => review.submittedAt,
  viewerDidAuthor: (review, _a, context) => review.authorLogin === context.viewer.login,
  pullRequest: (review, _a, context) => context.store.findNode("PullRequest", review.pullRequestId) ?? null,
  repository: (review, _a, context) => context.store.repositoryById(review.repositoryId) ?? null,
  url: (review, _a, context) => {
    const pr = context.store.findNode("PullRequest", review.pullRequestId);
    return pr?.__typename === "PullRequest" ? `${WEB}${itemPath(pr, context)}#pullrequestreview-${review.databaseId}` : null;
  },
});

/**
 * A requested team (or enterprise team) is read through the repository's organization: without `read:org`
 * (classic) or the organization's Members permission (fine-grained), GitHub answers the field with null and
 * a FORBIDDEN beside the rest of the pull request (github-api-notes.md; cli/cli#812, git-spice#1070).
 */
function requestedTeam(request: ReviewRequestRecord, context: ResolverContext) {
  const repo = context.store.repositoryById(request.repositoryId);
  if (!repo || !context.access.canReadTeams(repo.ownerLogin)) {
    if (context.access.key.type === "fine_grained") context.acceptedPermissions.add(acceptedPermission("members", "read"));
    throw forbidden();
  }
  const reviewer = request.reviewer;
  if (reviewer.kind === "team") return context.store.teamById(reviewer.teamId) ?? null;
  return reviewer.kind === "enterpriseTeam" ? (context.store.enterpriseTeamById(reviewer.enterpriseTeamId) ?? null) : null;
}

export const ReviewRequest = defineType<ReviewRequestRecord>({
  databaseId: (request) => request.databaseId,
  id: (request) => encodeNodeId("ReviewRequest", request.databaseId),
  asCodeOwner: () => false,
  pullRequest: (request, _a, context) => context.store.findNode("PullRequest", request.pullRequestId) ?? null,
  requestedReviewer: (request, _a, context) => request.reviewer.kind === "user"
    ? (context.store.user(request.reviewer.login) ?? null)
    : requestedTeam(request, context),
});

export const PullRequestCommit = defineType<CommitSource>({
  commit: (source) => source,
  pullRequest: (source) => source.pr,
  url: (source, _a, context) => `${WEB}${itemPath(source.pr, context)}/commits/${commitOid(source)}`,
  resourcePath: (source, _a, context) => `${itemPath(source.pr, context)}/commits/${commitOid(source)}`,
});

export const Commit = defineType<CommitSource>({
  oid: (source) => commitOid(source),
  abbreviatedOid: (source) => commitOid(source).slice(0, 7),
  message: (source) => `${source.pr.title} (${source.position}/${source.pr.commitCount})`,
  messageHeadline: (source) => `${source.pr.title} (${source.position}/${source.pr.commitCount})`,
  committedDate: (source) => source.pr.updatedAt,
  authoredDate: (source) => source.pr.updatedAt,
  url: (source, _a, context) => {
    const repo = context.store.repositoryById(source.pr.repositoryId);
    return repo ? `${WEB}/${repo.ownerLogin}/${repo.name}/commit/${commitOid(source)}` : null;
  },
  // Only the head commit carries checks; null when it has none, as GitHub answers.
  statusCheckRollup: (source) =>
    source.position === source.pr.commitCount && source.pr.checkState ? { state: source.pr.checkState, commit: source } : null,
});

export const StatusCheckRollup = defineType<{ state: string; commit: CommitSource }>({
  state: (rollup) => rollup.state,
  commit: (rollup) => rollup.commit,
  contexts: (_rollup, args) => paginate([], readConnectionArgs(args)),
});
