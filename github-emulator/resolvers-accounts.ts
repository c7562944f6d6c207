import { paginate, readConnectionArgs } from "./connection";
import { encodeNodeId } from "./node-id";
import { optionalString, str, strings, WEB } from "./resolver-helpers";
import { defineType, passthrough, type Args, type RateLimitReport, type ResolverContext } from "./resolver-kit";
import { acceptedPermission } from "./access";
import { forbidden } from "./errors";
import type { EnterpriseTeamRecord, LabelRecord, OrganizationRecord, RepositoryRecord, TeamRecord, UserRecord } from "./store";

// Users, organizations, teams, labels and rateLimit.

function avatarUrl(databaseId: number): string {
  return `https://avatars.githubusercontent.com/u/${databaseId}?v=4`;
}

function visibleRepositories(login: string, context: ResolverContext) {
  return context.store.repositoriesOf(login).filter((r) => context.access.canSee(r));
}

/**
 * A user's repositories by affiliation (OWNER, COLLABORATOR, ORGANIZATION_MEMBER; GitHub's default
 * OWNER and COLLABORATOR), then `privacy`/`visibility`, keeping only what the key can see.
 */
function userRepositories(user: UserRecord, args: Args, context: ResolverContext): RepositoryRecord[] {
  const affiliations = strings(args, "affiliations") ?? strings(args, "ownerAffiliations") ?? ["OWNER", "COLLABORATOR"];
  const login = user.login.toLowerCase();
  const orgs = new Set(context.store.organizationsOf(user.login).map((o) => o.login.toLowerCase()));
  const privacy = optionalString(args, "privacy") ?? optionalString(args, "visibility");
  return context.store.allRepositories().filter((repo) => {
    const owner = repo.ownerLogin.toLowerCase();
    const affiliated = (affiliations.includes("OWNER") && owner === login)
      || (affiliations.includes("COLLABORATOR") && repo.collaboratorLogins.some((c) => c.toLowerCase() === login))
      || (affiliations.includes("ORGANIZATION_MEMBER") && orgs.has(owner));
    if (!affiliated || !context.access.canSee(repo)) return false;
    return privacy === undefined || (privacy === "PRIVATE") === repo.isPrivate;
  });
}

/** `repository(name:)` under an owner: null when missing or invisible (no error, as on GitHub). */
function ownedRepository(login: string, name: string, context: ResolverContext) {
  const repo = context.store.repository(login, name);
  return repo && context.access.canSee(repo) ? repo : null;
}

export const User = defineType<UserRecord>({
  ...passthrough<UserRecord>("databaseId", "login", "name", "email", "bio", "company", "location", "createdAt", "updatedAt"),
  id: (user) => encodeNodeId("User", user.databaseId),
  url: (user) => `${WEB}/${user.login}`,
  resourcePath: (user) => `/${user.login}`,
  avatarUrl: (user) => avatarUrl(user.databaseId),
  isViewer: (user, _a, context) => user.databaseId === context.viewer.databaseId,
  isSiteAdmin: () => false,
  websiteUrl: () => null,
  twitterUsername: () => null,
  repositories: (user, args, context) => paginate(userRepositories(user, args, context), readConnectionArgs(args)),
  repository: (user, args, context) => ownedRepository(user.login, str(args, "name"), context),
  organizations: (user, args, context) => paginate(context.store.organizationsOf(user.login), readConnectionArgs(args)),
  organization: (user, args, context) => {
    const org = context.store.organization(str(args, "login"));
    return org && org.memberLogins.includes(user.login) ? org : null;
  },
});

/** An organization's teams need `read:org` (classic) or the Members permission (fine-grained): FORBIDDEN at the field. */
function readTeams(org: OrganizationRecord, context: ResolverContext): void {
  if (context.access.canReadTeams(org.login)) return;
  if (context.access.key.type === "fine_grained") context.acceptedPermissions.add(acceptedPermission("members", "read"));
  throw forbidden();
}

export const Organization = defineType<OrganizationRecord>({
  ...passthrough<OrganizationRecord>("databaseId", "login", "name", "description", "createdAt", "updatedAt"),
  id: (org) => encodeNodeId("Organization", org.databaseId),
  url: (org) => `${WEB}/${org.login}`,
  resourcePath: (org) => `/${org.login}`,
  avatarUrl: (org) => avatarUrl(org.databaseId),
  repositories: (org, args, context) => paginate(visibleRepositories(org.login, context), readConnectionArgs(args)),
  repository: (org, args, context) => ownedRepository(org.login, str(args, "name"), context),
  team: (org, args, context) => (readTeams(org, context), context.store.team(org.login, str(args, "slug")) ?? null),
  teams: (org, args, context) => (readTeams(org, context), paginate(context.store.teamsOf(org.login), readConnectionArgs(args))),
  membersWithRole: (org, args, context) => paginate(
    org.memberLogins.map((l) => context.store.user(l)).filter((u): u is UserRecord => u !== undefined), readConnectionArgs(args)),
});

export const Team = defineType<TeamRecord>({
  ...passthrough<TeamRecord>("databaseId", "name", "slug", "description", "createdAt"),
  id: (team) => encodeNodeId("Team", team.databaseId),
  combinedSlug: (team) => `${team.orgLogin}/${team.slug}`,
  url: (team) => `${WEB}/orgs/${team.orgLogin}/teams/${team.slug}`,
  resourcePath: (team) => `/orgs/${team.orgLogin}/teams/${team.slug}`,
  organization: (team, _a, context) => context.store.organization(team.orgLogin) ?? null,
  privacy: () => "VISIBLE",
  updatedAt: (team) => team.createdAt,
});

export const EnterpriseTeam = defineType<EnterpriseTeamRecord>({
  ...passthrough<EnterpriseTeamRecord>("slug", "name"),
  id: (team) => encodeNodeId("EnterpriseTeam", team.databaseId),
  combinedSlug: (team) => `enterprise/${team.slug}`,
  privacy: () => "VISIBLE",
});

export const Label = defineType<LabelRecord>({
  ...passthrough<LabelRecord>("name", "color", "description", "createdAt"),
  id: (label) => encodeNodeId("Label", label.databaseId),
  isDefault: () => false,
  updatedAt: (label) => label.createdAt,
  url: (label, _a, context) => {
    const repo = context.store.repositoryById(label.repositoryId);
    return repo ? `${WEB}/${repo.ownerLogin}/${repo.name}/labels/${encodeURIComponent(label.name)}` : null;
  },
  repository: (label, _a, context) => context.store.repositoryById(label.repositoryId) ?? null,
});

export const RateLimit = defineType<RateLimitReport>(
  passthrough<RateLimitReport>("limit", "cost", "remaining", "used", "resetAt", "nodeCount"),
);
