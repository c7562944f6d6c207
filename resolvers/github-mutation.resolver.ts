import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../src/context";
import { createIssue } from "../src/github/create-issue.service";
import type { IssueModel } from "../src/github/github-models";
import { CreateGitHubIssueInput } from "./types/create-github-issue.input";
import { GitHubIssue } from "./types/github-issue.type";

@Resolver()
export class GitHubMutationResolver {
  @Mutation(() => GitHubIssue, { description: "Creates an issue with the workspace's key (never retried: GitHub may have applied it)." })
  createGitHubIssue(@Arg("input") input: CreateGitHubIssueInput, @Ctx() { github }: Context): Promise<IssueModel> {
    return createIssue(github, input);
  }
}
