import type { GatewayPullRequestFieldsFragment } from "./generated/github-operations";
import type { GitHubPendingReview, GitHubReview, GitHubReviewStatus } from "../../resolvers/types/github-pull-request.type";

const CHECKS: Record<string, string> = {
  SUCCESS: "checks passing",
  FAILURE: "checks failing",
  ERROR: "checks failing",
  PENDING: "checks pending",
  EXPECTED: "checks pending",
};

const list = (logins: string[]) => logins.map((l) => `@${l}`).join(", ");

/** Said of a reviewer that has no name the key can read. */
const UNNAMED: Partial<Record<GitHubPendingReview["kind"], string>> = {
  HIDDEN: "a team (not visible to this key)",
  ENTERPRISE_TEAM: "an enterprise team",
  UNKNOWN: "a reviewer of a kind this gateway does not know",
};

type Requested = NonNullable<NonNullable<NonNullable<NonNullable<GatewayPullRequestFieldsFragment["reviewRequests"]>["nodes"]>[number]>["requestedReviewer"]>;

/**
 * One pending review request. A reviewer the key may not read comes back null beside a FORBIDDEN (a team,
 * without `read:org` or the Members permission: github-api-notes.md); an enterprise team (GitHub's 2026
 * schema) has no field a document valid on the older schema can ask for, so it has a kind and no name.
 */
export function pendingReviewOf(who: Requested | null): GitHubPendingReview {
  if (!who) return { reviewer: null, kind: "HIDDEN" };
  switch (who.__typename) {
    case "User": return { reviewer: who.login, kind: "USER" };
    case "Team": return { reviewer: who.slug, kind: "TEAM" };
    case "Bot": return { reviewer: who.login, kind: "BOT" };
    case "Mannequin": return { reviewer: who.login, kind: "MANNEQUIN" };
    case "EnterpriseTeam": return { reviewer: null, kind: "ENTERPRISE_TEAM" };
    default: return { reviewer: null, kind: "UNKNOWN" };
  }
}

/** How a pending reviewer reads in a sentence and in `pendingReviewers`: a name, or what it is. */
export const reviewerName = (p: GitHubPendingReview): string => p.reviewer ?? UNNAMED[p.kind] ?? "a reviewer";

/** "Approved by @a; changes requested by @b; waiting on @c; checks failing." — a sentence to say as it is. */
export function summarise(s: Omit<GitHubReviewStatus, "summary">, state: GatewayPullRequestFieldsFragment["pullRequestState"]): string {
  const parts: string[] = [];
  if (state === "MERGED") parts.push("merged");
  if (state === "CLOSED") parts.push("closed without merging");
  if (s.isDraft) parts.push("draft");
  const approved = s.reviews.filter((r) => r.state === "APPROVED").map((r) => r.reviewer);
  const changes = s.reviews.filter((r) => r.state === "CHANGES_REQUESTED").map((r) => r.reviewer);
  const commented = s.reviews.filter((r) => r.state === "COMMENTED").map((r) => r.reviewer);
  if (approved.length) parts.push(`approved by ${list(approved)}`);
  if (changes.length) parts.push(`changes requested by ${list(changes)}`);
  if (commented.length && !approved.length && !changes.length) parts.push(`commented on by ${list(commented)}`);
  if (s.pendingReviews.length) parts.push(`waiting on ${s.pendingReviews.map((p) => (p.reviewer ? `@${p.reviewer}` : reviewerName(p))).join(", ")}`);
  if (!s.reviews.length && !s.pendingReviews.length && state === "OPEN") {
    parts.push(s.decision === "REVIEW_REQUIRED" ? "review required, no reviewer requested" : "no reviews yet");
  }
  if (s.checks) parts.push(CHECKS[s.checks] ?? `checks ${s.checks.toLowerCase()}`);
  if (state === "OPEN" && s.mergeable === "CONFLICTING") parts.push("has merge conflicts");
  const sentence = parts.join("; ");
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

export function reviewStatusOf(p: GatewayPullRequestFieldsFragment): GitHubReviewStatus {
  const reviews: GitHubReview[] = (p.latestReviews?.nodes ?? []).flatMap((r) =>
    r ? [{ reviewer: r.author?.login ?? "ghost", state: r.state, submittedAt: r.submittedAt ? new Date(r.submittedAt) : null }] : [],
  );
  const pendingReviews = (p.reviewRequests?.nodes ?? []).flatMap((r) => (r ? [pendingReviewOf(r.requestedReviewer)] : []));
  const checks = p.commits.nodes?.[0]?.commit.statusCheckRollup?.state ?? null;
  const status = { decision: p.reviewDecision, reviews, pendingReviews, pendingReviewers: pendingReviews.map(reviewerName), checks, mergeable: p.mergeable, isDraft: p.isDraft };
  return { ...status, summary: summarise(status, p.pullRequestState) };
}
