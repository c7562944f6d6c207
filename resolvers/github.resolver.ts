import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../src/context";
import { findIssue, findPullRequest } from "../src/github/item-lookups";
import { detailOf } from "./selection";
import { GitHub, GitHubUser } from "./types/github.type";
import { GitHubIssue } from "./types/github-issue.type";
import { GitHubPullRequest } from "./types/github-pull-request.type";
import { GitHubRateLimit } from "./types/github-rate-limit.type";

/**
 * Thin: each field hands the request's GitHub session to the function that reads GitHub. A field's
 * `complexity` is what it can spend there (src/github/github-points.ts): a look-up is a point at most.
 */
@Resolver(() => GitHub)
export class GitHubResolver {
  @Query(() => GitHub, { description: "GitHub through the workspace's connected key (INTEGRATION_NOT_CONNECTED / INTEGRATION_INACTIVE otherwise)." })
  github(): GitHub {
    return new GitHub();
  }

  @FieldResolver(() => GitHubUser, { description: "Who the connected key belongs to.", complexity: 1 })
  viewer(@Ctx() { github }: Context): Promise<GitHubUser> {
    return github.viewer();
  }

  @FieldResolver(() => GitHubRateLimit, { nullable: true, description: "The key's GraphQL budget after this request's upstream calls.", complexity: 1 })
  async rateLimit(@Ctx() { github }: Context): Promise<GitHubRateLimit | null> {
    const r = await github.rateLimit();
    return r && { ...r, resetAt: new Date(r.resetAt) };
  }

  @FieldResolver(() => GitHubIssue, {
    nullable: true,
    description: "Null with GITHUB_NOT_FOUND when there is no such issue (a pull request's number included).",
    complexity: 1,
  })
  issue(
    @Arg("owner") owner: string,
    @Arg("repo") repo: string,
    @Arg("number", () => Int) number: number,
    @Ctx() { github }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<GitHubIssue> {
    return findIssue(github, { owner, repo, number }, detailOf(info));
  }

  @FieldResolver(() => GitHubPullRequest, { nullable: true, description: "With reviewStatus. Null with GITHUB_NOT_FOUND when there is none.", complexity: 1 })
  pullRequest(
    @Arg("owner") owner: string,
    @Arg("repo") repo: string,
    @Arg("number", () => Int) number: number,
    @Ctx() { github }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<GitHubPullRequest> {
    return findPullRequest(github, { owner, repo, number }, detailOf(info));
  }
}
