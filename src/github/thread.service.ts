import { badUserInput } from "../errors";
import type { ThreadNode } from "./batch/lookup";
import type { GitHubSession } from "./github-session";
import { checkNumber } from "./lookups.service";
import { GatewayThreadCommentsDocument, type GatewayCommentPageFragment } from "./generated/github-operations";
import { names } from "./github-mappers";
import { renderThreadMarkdown } from "./thread-markdown";

export interface CommentModel {
  id: string;
  author: string | null;
  body: string;
  createdAt: Date;
  url: string;
}

export interface ThreadModel {
  repository: string;
  number: number;
  isPullRequest: boolean;
  title: string;
  body: string;
  state: string;
  url: string;
  author: string | null;
  labels: string[];
  assignees: string[];
  linkedPullRequests: { number: number; title: string; url: string }[];
  reviews: { reviewer: string | null; state: string; body: string }[];
  comments: CommentModel[];
  totalComments: number;
  truncated: boolean;
  markdown: string;
}

export const DEFAULT_MAX_COMMENTS = 500;
export const MAX_MAX_COMMENTS = 2000;

const comments = (page: GatewayCommentPageFragment): CommentModel[] =>
  (page.nodes ?? []).flatMap((c) => (c ? [{ id: c.id, author: c.author?.login ?? null, body: c.body, createdAt: new Date(c.createdAt), url: c.url }] : []));

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
export async function issueThread(github: GitHubSession, ref: ThreadRef): Promise<ThreadModel> {
  const cap = ref.maxComments ?? DEFAULT_MAX_COMMENTS;
  if (!Number.isInteger(cap) || cap < 0 || cap > MAX_MAX_COMMENTS) throw badUserInput(`\`maxComments\` must be between 0 and ${MAX_MAX_COMMENTS}.`, "maxComments");
  checkNumber(ref.number);
  const node: ThreadNode = await github.lookup({ kind: "thread", owner: ref.owner, repo: ref.repo, number: ref.number });
  const list = comments(node.comments);
  let page = node.comments.pageInfo;
  while (page.hasNextPage && list.length < cap) {
    const data = await github.query(GatewayThreadCommentsDocument, { owner: ref.owner, name: ref.repo, number: ref.number, after: page.endCursor });
    const item = data.repository?.issueOrPullRequest;
    if (!item) break; // deleted meanwhile: keep what was read
    list.push(...comments(item.comments));
    page = item.comments.pageInfo;
  }
  const kept = list.slice(0, cap);
  const isPullRequest = node.__typename === "PullRequest";
  const thread: Omit<ThreadModel, "markdown"> = {
    repository: node.repository.nameWithOwner,
    number: node.number,
    isPullRequest,
    title: node.title,
    body: node.body,
    state: node.__typename === "PullRequest" ? node.pullRequestState : node.issueState,
    url: node.url,
    author: node.author?.login ?? null,
    labels: names(node.labels, (l) => l.name),
    assignees: names(node.assignees, (a) => a.login),
    linkedPullRequests: node.__typename === "Issue" ? (node.closedByPullRequestsReferences?.nodes ?? []).flatMap((p) => (p ? [p] : [])) : [],
    reviews: node.__typename === "PullRequest" ? (node.reviews?.nodes ?? []).flatMap((r) => (r ? [{ reviewer: r.author?.login ?? null, state: r.state, body: r.body }] : [])) : [],
    comments: kept,
    totalComments: node.comments.totalCount,
    truncated: kept.length < node.comments.totalCount,
  };
  return { ...thread, markdown: renderThreadMarkdown(thread) };
}
