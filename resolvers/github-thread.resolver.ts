import { Arg, Ctx, FieldResolver, Int, Resolver } from "type-graphql";
import type { Context } from "../src/context";
import { badUserInput } from "../src/errors";
import { costFromArgs, threadCost } from "../src/github/github-points";
import { issueThread } from "../src/github/item-thread";
import { GitHub } from "./types/github.type";
import { GitHubIssueThread, GitHubItemRefInput } from "./types/github-thread.type";

const MAX_THREADS = 20;

@Resolver(() => GitHub)
export class GitHubThreadResolver {
  @FieldResolver(() => GitHubIssueThread, {
    nullable: true,
    description: "Title, description, every comment (up to maxComments, default 500) and `markdown`.",
    complexity: costFromArgs((args) => threadCost(args.maxComments)),
  })
  issueThread(
    @Arg("owner") owner: string,
    @Arg("repo") repo: string,
    @Arg("number", () => Int) number: number,
    @Arg("maxComments", () => Int, { nullable: true }) maxComments: number | undefined,
    @Ctx() { github }: Context,
  ): Promise<GitHubIssueThread> {
    return issueThread(github, { owner, repo, number, maxComments });
  }

  @FieldResolver(() => [GitHubIssueThread], {
    nullable: "items",
    description: `Up to ${MAX_THREADS} threads; their first pages share one upstream document. A missing one is null with its error.`,
    // Priced on every ref given, even past MAX_THREADS: such a request is refused before anything is sent.
    complexity: costFromArgs((args) => (Array.isArray(args.refs) ? args.refs.length : 1) * threadCost(args.maxComments)),
  })
  issueThreads(
    @Arg("refs", () => [GitHubItemRefInput]) refs: GitHubItemRefInput[],
    @Arg("maxComments", () => Int, { nullable: true }) maxComments: number | undefined,
    @Ctx() { github }: Context,
  ): (Promise<GitHubIssueThread>)[] {
    if (refs.length > MAX_THREADS) throw badUserInput(`At most ${MAX_THREADS} threads at once.`, "refs");
    return refs.map((ref) => issueThread(github, { ...ref, maxComments }));
  }
}
