import type { GatewayPullRequestFieldsFragment } from "./generated/github-operations";
import type { ReviewModel, ReviewStatusModel } from "./github-models";

const CHECKS: Record<string, string> = {
  SUCCESS: "checks passing",
  FAILURE: "checks failing",
  ERROR: "checks failing",
  PENDING: "checks pending",
  EXPECTED: "checks pending",
};

const list = (logins: string[]) => logins.map((l) => `@${l}`).join(", ");

/** "Approved by @a; changes requested by @b; waiting on @c; checks failing." — a sentence to say as it is. */
export function summarise(s: Omit<ReviewStatusModel, "summary">, state: GatewayPullRequestFieldsFragment["pullRequestState"]): string {
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
  if (s.pendingReviewers.length) parts.push(`waiting on ${list(s.pendingReviewers)}`);
  if (!s.reviews.length && !s.pendingReviewers.length && state === "OPEN") {
    parts.push(s.decision === "REVIEW_REQUIRED" ? "review required, no reviewer requested" : "no reviews yet");
  }
  if (s.checks) parts.push(CHECKS[s.checks] ?? `checks ${s.checks.toLowerCase()}`);
  if (state === "OPEN" && s.mergeable === "CONFLICTING") parts.push("has merge conflicts");
  const sentence = parts.join("; ");
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

export function reviewStatusOf(p: GatewayPullRequestFieldsFragment): ReviewStatusModel {
  const reviews: ReviewModel[] = (p.latestReviews?.nodes ?? []).flatMap((r) =>
    r ? [{ reviewer: r.author?.login ?? "ghost", state: r.state, submittedAt: r.submittedAt ? new Date(r.submittedAt) : null }] : [],
  );
  const pendingReviewers = (p.reviewRequests?.nodes ?? []).flatMap((r) => {
    const who = r?.requestedReviewer;
    if (!who) return [];
    return [who.__typename === "Team" ? who.slug : who.login];
  });
  const checks = p.commits.nodes?.[0]?.commit.statusCheckRollup?.state ?? null;
  const status = { decision: p.reviewDecision, reviews, pendingReviewers, checks, mergeable: p.mergeable, isDraft: p.isDraft };
  return { ...status, summary: summarise(status, p.pullRequestState) };
}
