import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { NeedsConnections } from "../selection";
import { GitHubItem } from "./github-item.type";
import { PageInfo } from "./page-info.type";

/** A const object, as GitHubIssueState: GitHub's PullRequestState satisfies its type. */
export const GitHubPullRequestState = { OPEN: "OPEN", CLOSED: "CLOSED", MERGED: "MERGED" } as const;
export type GitHubPullRequestState = (typeof GitHubPullRequestState)[keyof typeof GitHubPullRequestState];
registerEnumType(GitHubPullRequestState, { name: "GitHubPullRequestState" });

@ObjectType({ description: "One reviewer's latest review." })
export class GitHubReview {
  @Field()
  reviewer!: string;

  @Field({ description: "APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING." })
  state!: string;

  @Field(() => Date, { nullable: true })
  submittedAt!: Date | null;
}

/** A const object, as GitHubIssueState: review-status.ts builds its values as plain strings. */
export const GitHubReviewerKind = {
  USER: "USER",
  TEAM: "TEAM",
  ENTERPRISE_TEAM: "ENTERPRISE_TEAM",
  BOT: "BOT",
  MANNEQUIN: "MANNEQUIN",
  HIDDEN: "HIDDEN",
  UNKNOWN: "UNKNOWN",
} as const;
export type GitHubReviewerKind = (typeof GitHubReviewerKind)[keyof typeof GitHubReviewerKind];
registerEnumType(GitHubReviewerKind, {
  name: "GitHubReviewerKind",
  description: "HIDDEN: a reviewer the key may not read (a team, without read:org or the organization's Members permission). ENTERPRISE_TEAM: an enterprise's team, which has no name the gateway can ask for on every GitHub version. UNKNOWN: a kind newer than this gateway.",
});

@ObjectType({ description: "One pending review request." })
export class GitHubPendingReview {
  @Field(() => String, { nullable: true, description: "A login or team slug; null when the key cannot read it (HIDDEN) or it has no name to ask for (ENTERPRISE_TEAM)." })
  reviewer!: string | null;

  @Field(() => GitHubReviewerKind)
  kind!: GitHubReviewerKind;
}

@ObjectType({ description: "Where a pull request stands, with one sentence an assistant can say as it is." })
export class GitHubReviewStatus {
  @Field(() => String, { nullable: true, description: "APPROVED, CHANGES_REQUESTED or REVIEW_REQUIRED; null when no review is required." })
  decision!: string | null;

  @Field(() => [GitHubReview], { description: "Each reviewer's latest review." })
  reviews!: GitHubReview[];

  @Field(() => [String], {
    description: "Pending review requests as they read: a user's login, a team's slug, or what the reviewer is when it has no name the key can read (\"a team (not visible to this key)\", \"an enterprise team\").",
  })
  pendingReviewers!: string[];

  @Field(() => [GitHubPendingReview], { description: "The same requests, each with its kind." })
  pendingReviews!: GitHubPendingReview[];

  @Field(() => String, { nullable: true, description: "The checks roll-up of the head commit: SUCCESS, FAILURE, ERROR, PENDING or EXPECTED; null without checks." })
  checks!: string | null;

  @Field({ description: "MERGEABLE, CONFLICTING or UNKNOWN (GitHub still computing)." })
  mergeable!: string;

  @Field()
  isDraft!: boolean;

  @Field()
  summary!: string;
}

@ObjectType()
export class GitHubPullRequest extends GitHubItem {
  @Field(() => GitHubPullRequestState)
  state!: GitHubPullRequestState;

  @NeedsConnections()
  @Field(() => [String])
  labels!: string[];

  @Field()
  isDraft!: boolean;

  @Field()
  baseRefName!: string;

  @Field()
  headRefName!: string;

  @Field(() => Date, { nullable: true })
  mergedAt!: Date | null;

  /**
   * Absent when the look-up fetched only the core, which detailOf asks for only when the selection has no
   * field marked NeedsConnections: so a query that reads it always has it.
   */
  @NeedsConnections()
  @Field(() => GitHubReviewStatus)
  reviewStatus?: GitHubReviewStatus;
}

@ObjectType()
export class GitHubPullRequestConnection {
  @Field(() => [GitHubPullRequest])
  nodes!: GitHubPullRequest[];

  @Field(() => Int)
  totalCount!: number;

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
