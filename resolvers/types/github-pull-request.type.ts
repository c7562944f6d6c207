import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { GitHubItem } from "./github-item.type";
import { PageInfo } from "./page-info.type";

export enum GitHubPullRequestState {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
  MERGED = "MERGED",
}
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

@ObjectType({ description: "Where a pull request stands, with one sentence an assistant can say as it is." })
export class GitHubReviewStatus {
  @Field(() => String, { nullable: true, description: "APPROVED, CHANGES_REQUESTED or REVIEW_REQUIRED; null when no review is required." })
  decision!: string | null;

  @Field(() => [GitHubReview], { description: "Each reviewer's latest review." })
  reviews!: GitHubReview[];

  @Field(() => [String], { description: "Pending review requests: @login for users, team slugs as @team." })
  pendingReviewers!: string[];

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

  @Field(() => GitHubReviewStatus)
  reviewStatus!: GitHubReviewStatus;
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
