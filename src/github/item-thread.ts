import { badUserInput } from "../errors";
import type { ThreadNode } from "./batch/lookup";
import type { GitHubSession } from "./github-session";
import { checkNumber } from "./item-lookups";
import type { GitHubIssueThread } from "../../resolvers/types/github-thread.type";
import { GatewayThreadCommentsDocument } from "./generated/github-operations";
import { toComments, toThread } from "./github-mappers";

export const DEFAULT_MAX_COMMENTS = 500;
export const MAX_MAX_COMMENTS = 2000;

export interface ThreadRef {
  owner: string;
  repo: string;
  number: number;
  maxComments?: number | null;
}

/**
 * An issue's or pull request's whole thread: the item and its first 100 comments come in the request's
 * batched document (several threads share it); later pages follow one after another, up to the cap.
 */
export async function issueThread(github: GitHubSession, ref: ThreadRef): Promise<GitHubIssueThread> {
  const cap = ref.maxComments ?? DEFAULT_MAX_COMMENTS;
  if (!Number.isInteger(cap) || cap < 0 || cap > MAX_MAX_COMMENTS) throw badUserInput(`\`maxComments\` must be between 0 and ${MAX_MAX_COMMENTS}.`, "maxComments");
  checkNumber(ref.number);
  const node: ThreadNode = await github.lookup({ kind: "thread", owner: ref.owner, repo: ref.repo, number: ref.number });
  const list = toComments(node.comments);
  let page = node.comments.pageInfo;
  while (page.hasNextPage && list.length < cap) {
    const data = await github.query(GatewayThreadCommentsDocument, { owner: ref.owner, name: ref.repo, number: ref.number, after: page.endCursor });
    const item = data.repository?.issueOrPullRequest;
    if (!item) break; // deleted meanwhile: keep what was read
    list.push(...toComments(item.comments));
    page = item.comments.pageInfo;
  }
  return toThread(node, list.slice(0, cap));
}
