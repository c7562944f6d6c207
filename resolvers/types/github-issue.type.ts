import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageInfo } from "./page-info.type";

export enum GitHubIssueState {
  OPEN = "OPEN",
  CLOSED = "CLOSED",
}
registerEnumType(GitHubIssueState, { name: "GitHubIssueState" });

@ObjectType({ description: "An issue, flattened for an assistant: names instead of nested objects." })
export class GitHubIssue {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  number!: number;

  @Field({ description: "owner/name" })
  repository!: string;

  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field(() => GitHubIssueState)
  state!: GitHubIssueState;

  @Field()
  url!: string;

  @Field(() => String, { nullable: true, description: "The author's login; null for a deleted account." })
  author!: string | null;

  @Field(() => [String])
  labels!: string[];

  @Field(() => [String])
  assignees!: string[];

  @Field(() => Int)
  commentCount!: number;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;
}

@ObjectType()
export class GitHubIssueConnection {
  @Field(() => [GitHubIssue])
  nodes!: GitHubIssue[];

  @Field(() => Int, { description: "How many match in all (a search reaches at most 1,000 of them)." })
  totalCount!: number;

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
