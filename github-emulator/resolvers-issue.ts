import { paginate, readConnectionArgs } from "./connection";
import { encodeNodeId } from "./node-id";
import { itemPath, markdownToText, userOf, WEB } from "./resolver-helpers";
import { defineType, passthrough, type Args, type FieldResolver, type ResolverContext } from "./resolver-kit";
import type { CommentRecord, EmulatorStore, IssueOrPullRequestRecord, IssueRecord, LabelRecord, PullRequestRecord } from "./store";

// Issues, the fields they share with pull requests, and issue comments.

type AuthorAssociation = "OWNER" | "MEMBER" | "COLLABORATOR" | "CONTRIBUTOR" | "NONE";

/**
 * GitHub's CommentAuthorAssociation, from its schema's descriptions, most specific first: the repository's
 * owner; a member of the organization that owns it; a collaborator invited to it; a contributor, who has
 * committed to it before (here: the author of a merged pull request in it); else none. The first-time
 * kinds need commit history the emulator does not keep, so it never answers them (the stricter reading:
 * a newcomer reads as NONE, no association).
 */
export function associationOf(login: string | null, repositoryId: number, context: ResolverContext): AuthorAssociation {
  return associationIn(context.store, login, repositoryId);
}

/** associationOf for a caller without a resolver context (the REST routes). */
export function associationIn(store: EmulatorStore, login: string | null, repositoryId: number): AuthorAssociation {
  const repo = store.repositoryById(repositoryId);
  if (!login || !repo) return "NONE";
  const same = (other: string) => other.toLowerCase() === login.toLowerCase();
  if (same(repo.ownerLogin)) return "OWNER";
  if (store.organization(repo.ownerLogin)?.memberLogins.some(same)) return "MEMBER";
  if (repo.collaboratorLogins.some(same)) return "COLLABORATOR";
  const contributed = store.pullRequestsOf(repositoryId).some((pr) => pr.state === "MERGED" && pr.authorLogin !== null && same(pr.authorLogin));
  return contributed ? "CONTRIBUTOR" : "NONE";
}

/** Pull requests of the issue's repository that close it; closed-unmerged ones only when asked. */
function closingPullRequests(issue: IssueRecord, args: Args, context: ResolverContext): PullRequestRecord[] {
  const includeClosed = args.includeClosedPrs === true;
  return context.store.pullRequestsOf(issue.repositoryId).filter((pr) =>
    pr.closingIssueNumbers.includes(issue.number) && (includeClosed || pr.state !== "CLOSED"));
}

/** Fields Issue and PullRequest share (the Comment, Labelable, Assignable, ... interfaces). */
export function issueLikeFields<T extends IssueOrPullRequestRecord>(): Record<string, FieldResolver<T>> {
  return {
    ...passthrough<T>("databaseId", "number", "title", "body", "state", "createdAt", "updatedAt", "closedAt"),
    id: (item) => encodeNodeId(item.__typename, item.databaseId),
    bodyText: (item) => markdownToText(item.body),
    url: (item, _a, context) => `${WEB}${itemPath(item, context)}`,
    resourcePath: (item, _a, context) => itemPath(item, context),
    closed: (item) => item.state !== "OPEN",
    locked: () => false,
    activeLockReason: () => null,
    milestone: () => null,
    lastEditedAt: () => null,
    publishedAt: (item) => item.createdAt,
    includesCreatedEdit: () => false,
    createdViaEmail: () => false,
    author: (item, _a, context) => userOf(item.authorLogin, context),
    authorAssociation: (item, _a, context) => associationOf(item.authorLogin, item.repositoryId, context),
    viewerDidAuthor: (item, _a, context) => item.authorLogin === context.viewer.login,
    repository: (item, _a, context) => context.store.repositoryById(item.repositoryId) ?? null,
    labels: (item, args, context) => {
      const labels = item.labelIds.map((id) => context.store.labelById(id)).filter((l): l is LabelRecord => l !== undefined);
      return paginate(labels, readConnectionArgs(args));
    },
    assignees: (item, args, context) => {
      const users = item.assigneeLogins.map((login) => userOf(login, context)).filter((u) => u !== null);
      return paginate(users, readConnectionArgs(args));
    },
    participants: (item, args, context) => {
      const logins = [item.authorLogin, ...item.assigneeLogins, ...context.store.commentsOf(item.repositoryId, item.number).map((c) => c.authorLogin)];
      const users = [...new Set(logins)].map((login) => userOf(login, context)).filter((u) => u !== null);
      return paginate(users, readConnectionArgs(args));
    },
    comments: (item, args, context) => paginate(context.store.commentsOf(item.repositoryId, item.number), readConnectionArgs(args)),
  };
}

export const Issue = defineType<IssueRecord>({
  ...issueLikeFields<IssueRecord>(),
  stateReason: (issue) => issue.stateReason,
  closedByPullRequestsReferences: (issue, args, context) =>
    paginate(closingPullRequests(issue, args, context), readConnectionArgs(args)),
});

function commentSubject(comment: CommentRecord, context: ResolverContext) {
  return context.store.issueOrPullRequest(comment.repositoryId, comment.number);
}

export const IssueComment = defineType<CommentRecord>({
  ...passthrough<CommentRecord>("databaseId", "body", "createdAt", "updatedAt"),
  id: (comment) => encodeNodeId("IssueComment", comment.databaseId),
  bodyText: (comment) => markdownToText(comment.body),
  author: (comment, _a, context) => userOf(comment.authorLogin, context),
  authorAssociation: (comment, _a, context) => associationOf(comment.authorLogin, comment.repositoryId, context),
  viewerDidAuthor: (comment, _a, context) => comment.authorLogin === context.viewer.login,
  publishedAt: (comment) => comment.createdAt,
  lastEditedAt: () => null,
  isMinimized: () => false,
  minimizedReason: () => null,
  includesCreatedEdit: () => false,
  createdViaEmail: () => false,
  url: (comment, _a, context) => {
    const subject = commentSubject(comment, context);
    return subject ? `${WEB}${itemPath(subject, context)}#issuecomment-${comment.databaseId}` : null;
  },
  // On GitHub a pull request's comments answer `issue` with the pull request's issue side; here the subject.
  issue: (comment, _a, context) => commentSubject(comment, context) ?? null,
  pullRequest: (comment, _a, context) => {
    const subject = commentSubject(comment, context);
    return subject?.__typename === "PullRequest" ? subject : null;
  },
  repository: (comment, _a, context) => context.store.repositoryById(comment.repositoryId) ?? null,
});
