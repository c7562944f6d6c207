import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Info, Int, Resolver } from "type-graphql";
import type { Context } from "../src/context";
import { searchCode } from "../src/github/code-search";
import { CONNECTIONS_PER_ITEM, costFromArgs, listPoints } from "../src/github/github-points";
import { listIssues, searchIssues, searchPullRequests } from "../src/github/item-search";
import { detailOf } from "./selection";
import { GitHubCodeSearchResult } from "./types/github-code.type";
import { GitHubSearchOrder } from "./types/github-search-order.type";
import { GitHub } from "./types/github.type";
import { GitHubIssueConnection, GitHubIssueState } from "./types/github-issue.type";
import { GitHubPullRequestConnection, GitHubPullRequestState } from "./types/github-pull-request.type";

@ArgsType()
class IssuesArgs {
  @Field()
  owner!: string;

  @Field()
  repo!: string;

  @Field(() => [GitHubIssueState], { nullable: true })
  states?: GitHubIssueState[];

  @Field(() => [String], { nullable: true, description: "Issues with any of these labels." })
  labels?: string[];

  @Field(() => String, { nullable: true, description: "A login, `*` for any assignee, `none` for none." })
  assignee?: string;

  @Field(() => Date, { nullable: true, description: "Updated at or after this time." })
  since?: Date;

  @Field(() => Int, { nullable: true, description: "1..100, default 20." })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

@ArgsType()
class PullRequestsArgs {
  @Field(() => String, { nullable: true, description: "Without owner: the owners the key can see." })
  owner?: string;

  @Field(() => String, { nullable: true })
  repo?: string;

  @Field(() => [GitHubPullRequestState], { nullable: true })
  states?: GitHubPullRequestState[];

  @Field(() => Date, { nullable: true, description: "Merged on or after this day (UTC)." })
  mergedSince?: Date;

  @Field(() => Date, { nullable: true, description: "Merged on or before this day (UTC)." })
  mergedUntil?: Date;

  @Field(() => String, { nullable: true })
  author?: string;

  @Field(() => String, { nullable: true, description: "The base branch." })
  base?: string;

  @Field(() => GitHubSearchOrder, { nullable: true, description: "Default NEWEST." })
  sort?: GitHubSearchOrder;

  @Field(() => Int, { nullable: true, description: "1..100, default 20." })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

@Resolver(() => GitHub)
export class GitHubListsResolver {
  @FieldResolver(() => GitHubIssueConnection, {
    description: "A repository's issues, newest first.",
    // The labels named are looked up first (one request), then the list.
    complexity: costFromArgs((args) => Math.max(Array.isArray(args.labels) && args.labels.length > 0 ? 2 : 1, listPoints(args.first, CONNECTIONS_PER_ITEM.issue))),
  })
  issues(@Args() args: IssuesArgs, @Ctx() { github }: Context): Promise<GitHubIssueConnection> {
    return listIssues(github, args);
  }

  @FieldResolver(() => GitHubIssueConnection, {
    description: "GitHub's issue search (qualifiers such as repo:, label:, is:open). Without repo:/org:/user: it stays within the owners the key can see.",
    complexity: costFromArgs((args) => listPoints(args.first, CONNECTIONS_PER_ITEM.issue)),
  })
  searchIssues(
    @Arg("query") query: string,
    @Arg("first", () => Int, { nullable: true }) first: number | undefined,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Arg("sort", () => GitHubSearchOrder, { nullable: true, description: "Default NEWEST, unless the query has its own sort: qualifier." }) sort: GitHubSearchOrder | undefined,
    @Ctx() { github }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<GitHubIssueConnection> {
    return searchIssues(github, { query, first, after, sort, detail: detailOf(info) });
  }

  @FieldResolver(() => GitHubPullRequestConnection, {
    description: "Pull requests through GitHub's search, newest first unless `sort` says otherwise.",
    complexity: costFromArgs((args) => listPoints(args.first, CONNECTIONS_PER_ITEM.pullRequest)),
  })
  pullRequests(@Args() args: PullRequestsArgs, @Ctx() { github }: Context, @Info() info: GraphQLResolveInfo): Promise<GitHubPullRequestConnection> {
    return searchPullRequests(github, { ...args, detail: detailOf(info) });
  }

  @FieldResolver(() => GitHubCodeSearchResult, {
    description: "GitHub's code search (REST; about 10 a minute per key) with the matched fragments. Without owner/repo it stays within the owners the key can see.",
    complexity: 1,
  })
  searchCode(
    @Arg("query") query: string,
    @Arg("owner", () => String, { nullable: true }) owner: string | undefined,
    @Arg("repo", () => String, { nullable: true }) repo: string | undefined,
    @Arg("first", () => Int, { nullable: true }) first: number | undefined,
    @Arg("page", () => Int, { nullable: true }) page: number | undefined,
    @Ctx() { github }: Context,
  ): Promise<GitHubCodeSearchResult> {
    return searchCode(github, { query, owner, repo, first, page });
  }
}
