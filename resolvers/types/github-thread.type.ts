import { Field, InputType, Int, ObjectType } from "type-graphql";
import { GitHubAuthorAssociation } from "./github-author-association.type";

@ObjectType()
export class GitHubComment {
  @Field()
  id!: string;

  @Field(() => String, { nullable: true })
  author!: string | null;

  @Field(() => GitHubAuthorAssociation)
  authorAssociation!: GitHubAuthorAssociation;

  @Field()
  body!: string;

  @Field()
  createdAt!: Date;

  @Field()
  url!: string;
}

@ObjectType()
export class GitHubLinkedPullRequest {
  @Field(() => Int)
  number!: number;

  @Field()
  title!: string;

  @Field()
  url!: string;
}

@ObjectType()
export class GitHubThreadReview {
  @Field(() => String, { nullable: true })
  reviewer!: string | null;

  @Field(() => GitHubAuthorAssociation)
  authorAssociation!: GitHubAuthorAssociation;

  @Field()
  state!: string;

  @Field()
  body!: string;
}

@ObjectType({ description: "An issue's (or pull request's) whole thread as context for building an app." })
export class GitHubIssueThread {
  @Field({ description: "owner/name" })
  repository!: string;

  @Field(() => Int)
  number!: number;

  @Field()
  isPullRequest!: boolean;

  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field()
  state!: string;

  @Field()
  url!: string;

  @Field(() => String, { nullable: true })
  author!: string | null;

  @Field(() => GitHubAuthorAssociation)
  authorAssociation!: GitHubAuthorAssociation;

  @Field(() => [String])
  labels!: string[];

  @Field(() => [String])
  assignees!: string[];

  @Field(() => [GitHubLinkedPullRequest], { description: "Pull requests that close this issue." })
  linkedPullRequests!: GitHubLinkedPullRequest[];

  @Field(() => [GitHubThreadReview], { description: "A pull request's reviews; empty for an issue." })
  reviews!: GitHubThreadReview[];

  @Field(() => [GitHubComment], { description: "Every comment, oldest first, up to maxComments." })
  comments!: GitHubComment[];

  @Field(() => Int)
  totalComments!: number;

  @Field({ description: "True when comments were left out (maxComments reached)." })
  truncated!: boolean;

  @Field({ description: "The thread rendered for an LLM, without invisible or bidirectional control characters." })
  markdown!: string;
}

@InputType()
export class GitHubItemRefInput {
  @Field()
  owner!: string;

  @Field()
  repo!: string;

  @Field(() => Int)
  number!: number;
}
