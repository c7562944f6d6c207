import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../src/context";
import { createIssue, MAX_ISSUE_ASSIGNEES, MAX_ISSUE_LABELS } from "../src/github/create-issue";
import { costFromArgs } from "../src/github/github-points";
import { CreateGitHubIssueInput } from "./types/create-github-issue.input";
import { GitHubIssue } from "./types/github-issue.type";

@Resolver()
export class GitHubMutationResolver {
  @Mutation(() => GitHubIssue, {
    description: "Creates an issue with the workspace's key (never retried: GitHub may have applied it).",
    complexity: costFromArgs((args) => {
      // The repository, each label and each assignee are looked up, then the issue is created; an unknown
      // label costs one more look-up (the repository's labels, for suggestions). Names past GitHub's bounds
      // are refused before any look-up (createIssue), so the count stops there: such a request is BAD_USER_INPUT.
      const input = (args.input ?? {}) as { labels?: unknown; assignees?: unknown };
      const count = (names: unknown, max: number) => (Array.isArray(names) ? Math.min(names.length, max) : 0);
      return 3 + count(input.labels, MAX_ISSUE_LABELS) + count(input.assignees, MAX_ISSUE_ASSIGNEES);
    }),
  })
  createGitHubIssue(@Arg("input") input: CreateGitHubIssueInput, @Ctx() { github }: Context): Promise<GitHubIssue> {
    return createIssue(github, input);
  }
}
