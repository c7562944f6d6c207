import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { NeedsConnections } from "../selection";
import { GitHubItem } from "./github-item.type";
import { PageInfo } from "./page-info.type";

/**
 * A const object rather than a TypeScript enum: its type is the union "OPEN" | "CLOSED", which GitHub's own
 * IssueState (the generated fragment types) satisfies, so the mapper assigns it without a cast.
 */
export const GitHubIssueState = { OPEN: "OPEN", CLOSED: "CLOSED" } as const;
export type GitHubIssueState = (typeof GitHubIssueState)[keyof typeof GitHubIssueState];
registerEnumType(GitHubIssueState, { name: "GitHubIssueState" });

@ObjectType({ description: "An issue, flattened for an assistant: names instead of nested objects." })
export class GitHubIssue extends GitHubItem {
  @Field(() => GitHubIssueState)
  state!: GitHubIssueState;

  @NeedsConnections()
  @Field(() => [String])
  labels!: string[];

  @NeedsConnections()
  @Field(() => [String])
  assignees!: string[];

  @NeedsConnections()
  @Field(() => Int)
  commentCount!: number;
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
