import { paginate, readConnectionArgs } from "./connection";
import { notFound } from "./errors";
import { MAX_SEARCH_RESULTS, searchIssues } from "./issue-search";
import { nodeNotFound, readableNode, str, strings, visibleRepository } from "./resolver-helpers";
import { defineType, type ResolverMap } from "./resolver-kit";
import { EnterpriseTeam, Label, Organization, RateLimit, Team, User } from "./resolvers-accounts";
import { Issue, IssueComment } from "./resolvers-issue";
import { CreateIssuePayload, Mutation } from "./resolvers-mutation";
import {
  Commit, PullRequest, PullRequestCommit, PullRequestReview, ReviewRequest, StatusCheckRollup,
} from "./resolvers-pull-request";
import { Ref, Repository } from "./resolvers-repository";

// Resolvers keyed by GitHub type name; fields without an entry resolve to null (resolver-kit.ts).
// Query and the search connection here; each type's resolvers in resolvers-*.ts.

const Query = defineType<unknown>({
  viewer: (_s, _a, context) => context.viewer,
  rateLimit: (_s, _a, context) => context.rateLimit,
  user: (_s, args, context) => {
    const login = str(args, "login");
    const user = context.store.user(login);
    if (!user) throw notFound(`Could not resolve to a User with the login of '${login}'.`);
    return user;
  },
  organization: (_s, args, context) => {
    const login = str(args, "login");
    const org = context.store.organization(login);
    if (!org) throw notFound(`Could not resolve to an Organization with the login of '${login}'.`);
    return org;
  },
  repositoryOwner: (_s, args, context) => context.store.owner(str(args, "login")) ?? null,
  // A private repository the key may not use answers exactly like a missing one.
  repository: (_s, args, context) => {
    const owner = str(args, "owner");
    const name = str(args, "name");
    return visibleRepository(context.store.repository(owner, name), context, () => notFound(`Could not resolve to a Repository with the name '${owner}/${name}'.`));
  },
  node: (_s, args, context) => readableNode(str(args, "id"), context),
  // A missing ID becomes an error at ["nodes", i] and a null item, beside the found ones.
  nodes: (_s, args, context) => (strings(args, "ids") ?? []).map((id) => {
    try {
      return readableNode(id, context);
    } catch (error) {
      return error instanceof Error ? error : nodeNotFound(id);
    }
  }),
  // issueCount counts every match; only the first 1,000 can be paged through, as on GitHub.
  search: (_s, args, context) => {
    const items = args.type === "ISSUE" ? searchIssues(str(args, "query"), context) : [];
    return {
      ...paginate(items.slice(0, MAX_SEARCH_RESULTS), readConnectionArgs(args)),
      issueCount: items.length,
      codeCount: 0, discussionCount: 0, repositoryCount: 0, userCount: 0, wikiCount: 0,
    };
  },
});

export const resolvers: ResolverMap = {
  Query, Mutation, CreateIssuePayload,
  User, Organization, Team, EnterpriseTeam, Label, RateLimit,
  Repository, Ref, Issue, IssueComment,
  PullRequest, PullRequestReview, ReviewRequest, PullRequestCommit, Commit, StatusCheckRollup,
};
