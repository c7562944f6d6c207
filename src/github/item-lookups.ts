import { badUserInput } from "../errors";
import type { Detail } from "./batch/lookup";
import type { GitHubSession } from "./github-session";
import type { GitHubIssue } from "../../resolvers/types/github-issue.type";
import type { GitHubPullRequest } from "../../resolvers/types/github-pull-request.type";
import { toIssue, toPullRequest } from "./github-mappers";

export interface ItemRef {
  owner: string;
  repo: string;
  number: number;
}

/** GitHub numbers issues and pull requests from 1. */
export function checkNumber(number: number): void {
  if (!Number.isInteger(number) || number < 1) throw badUserInput("`number` must be a positive whole number.", "number");
}

/** One issue, batched with every other look-up of the request. */
export async function findIssue(github: GitHubSession, ref: ItemRef, detail: Detail): Promise<GitHubIssue> {
  checkNumber(ref.number);
  return toIssue(await github.lookup({ kind: "issue", ...ref, detail }));
}

/** One pull request with its review status, batched likewise. */
export async function findPullRequest(github: GitHubSession, ref: ItemRef, detail: Detail): Promise<GitHubPullRequest> {
  checkNumber(ref.number);
  return toPullRequest(await github.lookup({ kind: "pullRequest", ...ref, detail }));
}
