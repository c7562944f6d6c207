import { acceptedPermission } from "./access";
import { forbidden, notFound, samlForbidden } from "./errors";
import { decodeNodeId } from "./node-id";
import type { Args, ResolverContext } from "./resolver-kit";
import type { IssueOrPullRequestRecord, NodeRecord, RepositoryRecord, UserRecord } from "./store";
import type { PermissionName } from "./types";

export const WEB = "https://github.com";

export function str(args: Args, name: string): string {
  const value = args[name];
  return typeof value === "string" ? value : "";
}

export function optionalString(args: Args, name: string): string | undefined {
  const value = args[name];
  return typeof value === "string" ? value : undefined;
}

export function int(args: Args, name: string): number {
  const value = args[name];
  return typeof value === "number" ? value : 0;
}

export function strings(args: Args, name: string): string[] | undefined {
  const value = args[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
}

export function objectArg(args: Args, name: string): Args | undefined {
  const value = args[name];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Args) : undefined;
}

export function repoPath(repo: RepositoryRecord): string {
  return `/${repo.ownerLogin}/${repo.name}`;
}

/** `/o/r/issues/N` or `/o/r/pull/N`. */
export function itemPath(item: IssueOrPullRequestRecord, context: ResolverContext): string {
  const repo = context.store.repositoryById(item.repositoryId);
  const base = repo ? repoPath(repo) : "";
  return `${base}/${item.__typename === "Issue" ? "issues" : "pull"}/${item.number}`;
}

export function userOf(login: string | null, context: ResolverContext): UserRecord | null {
  return login ? (context.store.user(login) ?? null) : null;
}

/**
 * A repository asked for by name: FORBIDDEN (saml_failure) when a SAML SSO organization has not authorised
 * the key, NOT_FOUND when it is missing or the key may not see it (GitHub does not tell the two apart).
 */
export function visibleRepository(repo: RepositoryRecord | undefined, context: ResolverContext, missing: () => Error): RepositoryRecord {
  const sso = repo && context.access.ssoBlock(repo.ownerLogin);
  if (sso) {
    context.ssoRequired.add(sso.login);
    throw samlForbidden();
  }
  if (!repo || !context.access.canSee(repo)) throw missing();
  return repo;
}

/** Throws FORBIDDEN (and notes the permission for the response header) when the key may not read. */
export function requireRead(context: ResolverContext, repo: RepositoryRecord, permission: PermissionName): void {
  if (context.access.canRead(repo, permission)) return;
  context.acceptedPermissions.add(acceptedPermission(permission, "read"));
  throw forbidden();
}

/** The permission a fine-grained key needs to read a record of a private repository. */
export function permissionFor(record: NodeRecord, context: ResolverContext): PermissionName {
  switch (record.__typename) {
    case "Issue": return "issues";
    case "PullRequest": case "PullRequestReview": case "ReviewRequest": return "pull_requests";
    case "Team": case "EnterpriseTeam": return "members";
    case "IssueComment": {
      const subject = context.store.issueOrPullRequest(record.repositoryId, record.number);
      return subject?.__typename === "PullRequest" ? "pull_requests" : "issues";
    }
    default: return "metadata";
  }
}

/** The record behind a global ID, or undefined when it is missing or in a repository the key cannot see. */
export function findNode(id: string, context: ResolverContext): NodeRecord | undefined {
  const decoded = decodeNodeId(id);
  const node = decoded ? context.store.findNode(decoded.type, decoded.databaseId) : undefined;
  if (!node) return undefined;
  const repo = context.store.repositoryOf(node);
  return repo && !context.access.canSee(repo) ? undefined : node;
}

export function nodeNotFound(id: string): Error {
  return notFound(`Could not resolve to a node with the global id of '${id}'`);
}

/** A node the key may read; NOT_FOUND when missing or invisible, FORBIDDEN without the permission. */
export function readableNode(id: string, context: ResolverContext): NodeRecord {
  const node = findNode(id, context);
  if (!node) throw nodeNotFound(id);
  const repo = context.store.repositoryOf(node);
  if (repo) requireRead(context, repo, permissionFor(node, context));
  return node;
}

/** GitHub's plain-text rendering of Markdown (bodyText), roughly: markup goes, text stays. */
export function markdownToText(markdown: string): string {
  return markdown
    .split("\n")
    .filter((line) => !/^\s*(```|~~~)/.test(line))
    .map((line) => line
      .replace(/^\s{0,3}#{1,6}\s+/, "")
      .replace(/^\s{0,3}>\s?/, "")
      .replace(/^\s*(?:[-*+]|\d+\.)\s+(?:\[[ xX]\]\s+)?/, "")
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
      .replace(/(\*\*|__)(.+?)\1/g, "$2")
      .replace(/`([^`]+)`/g, "$1")
      .replace(/<\/?[A-Za-z][^>]*>/g, ""))
    .join("\n")
    .trim();
}
