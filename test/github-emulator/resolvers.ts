import { paginate, readConnectionArgs } from "./connection";
import { notFound } from "./errors";
import { decodeNodeId, encodeNodeId } from "./node-id";
import { defineType, passthrough, type Args, type RateLimitReport, type ResolverContext, type ResolverMap } from "./resolver-kit";
import type { LabelRecord, NodeRecord, RepositoryRecord, UserRecord } from "./store";

// Resolvers keyed by GitHub type name. Implemented so far: the viewer and users, rateLimit, node
// look-ups, repositories with their labels. Issues, pull requests and comments are in the store and
// get their own entries here (Issue, PullRequest, IssueComment, Repository.issue, ...).

const WEB = "https://github.com";

function str(args: Args, name: string): string {
  const value = args[name];
  return typeof value === "string" ? value : "";
}

function findNode(id: string, context: ResolverContext): NodeRecord | undefined {
  const decoded = decodeNodeId(id);
  return decoded ? context.store.findNode(decoded.type, decoded.databaseId) : undefined;
}

function nodeNotFound(id: string): Error {
  return notFound(`Could not resolve to a node with the global id of '${id}'`);
}

const Query = defineType<unknown>({
  viewer: (_s, _a, context) => context.viewer,
  rateLimit: (_s, _a, context) => context.rateLimit,
  user: (_s, args, context) => {
    const login = str(args, "login");
    const user = context.store.user(login);
    if (!user) throw notFound(`Could not resolve to a User with the login of '${login}'.`);
    return user;
  },
  repository: (_s, args, context) => {
    const owner = str(args, "owner");
    const name = str(args, "name");
    const repo = context.store.repository(owner, name);
    if (!repo) throw notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
    return repo;
  },
  node: (_s, args, context) => {
    const id = str(args, "id");
    const node = findNode(id, context);
    if (!node) throw nodeNotFound(id);
    return node;
  },
  // A missing ID becomes an error at ["nodes", i] and a null item, beside the found ones.
  nodes: (_s, args, context) => {
    const ids = Array.isArray(args.ids) ? args.ids.filter((id): id is string => typeof id === "string") : [];
    return ids.map((id) => findNode(id, context) ?? nodeNotFound(id));
  },
});

const User = defineType<UserRecord>({
  ...passthrough<UserRecord>("databaseId", "login", "name", "email", "bio", "company", "location", "createdAt", "updatedAt"),
  id: (user) => encodeNodeId("User", user.databaseId),
  url: (user) => `${WEB}/${user.login}`,
  resourcePath: (user) => `/${user.login}`,
  avatarUrl: (user) => `https://avatars.githubusercontent.com/u/${user.databaseId}?v=4`,
  isViewer: (user, _a, context) => user.databaseId === context.viewer.databaseId,
  isSiteAdmin: () => false,
  websiteUrl: () => null,
  twitterUsername: () => null,
  repositories: (user, args, context) =>
    paginate(context.store.repositoriesOf(user.login), readConnectionArgs(args)),
});

const Repository = defineType<RepositoryRecord>({
  ...passthrough<RepositoryRecord>("databaseId", "name", "description", "isPrivate", "createdAt", "updatedAt"),
  id: (repo) => encodeNodeId("Repository", repo.databaseId),
  nameWithOwner: (repo) => `${repo.ownerLogin}/${repo.name}`,
  owner: (repo, _a, context) => context.store.user(repo.ownerLogin) ?? null,
  visibility: (repo) => (repo.isPrivate ? "PRIVATE" : "PUBLIC"),
  url: (repo) => `${WEB}/${repo.ownerLogin}/${repo.name}`,
  resourcePath: (repo) => `/${repo.ownerLogin}/${repo.name}`,
  label: (repo, args, context) => context.store.label(repo.databaseId, str(args, "name")) ?? null,
  labels: (repo, args, context) => paginate(context.store.labelsOf(repo.databaseId), readConnectionArgs(args)),
});

const Label = defineType<LabelRecord>({
  ...passthrough<LabelRecord>("name", "color", "description", "createdAt"),
  id: (label) => encodeNodeId("Label", label.databaseId),
  isDefault: () => false,
  repository: (label, _a, context) => context.store.repositoryById(label.repositoryId) ?? null,
});

const RateLimit = defineType<RateLimitReport>(
  passthrough<RateLimitReport>("limit", "cost", "remaining", "used", "resetAt", "nodeCount"),
);

export const resolvers: ResolverMap = { Query, User, Repository, Label, RateLimit };
