import type { NodeTypeName } from "./node-id";
import type {
  EnterpriseTeamRecord, LabelRecord, NewLabel, NewOrganization, NewRepository, NewTeam, NewUser, OrganizationRecord, RepositoryRecord,
  TeamRecord, UserRecord,
} from "./store-records";

/**
 * Accounts and repositories: users, organizations, teams, repositories and labels. EmulatorStore
 * (store.ts) adds issues, pull requests and files on top.
 */
export class StoreBase {
  private readonly ids = new Map<NodeTypeName, number>();
  private readonly users = new Map<string, UserRecord>();
  private readonly organizations = new Map<string, OrganizationRecord>();
  private readonly teams = new Map<number, TeamRecord>();
  private readonly enterpriseTeams = new Map<number, EnterpriseTeamRecord>();
  private readonly repositories = new Map<number, RepositoryRecord>();
  private readonly labels = new Map<number, LabelRecord>();

  constructor(protected readonly clock: () => Date = () => new Date()) {}

  addUser(input: NewUser): UserRecord {
    const existing = this.user(input.login);
    if (existing) {
      if (input.name !== undefined) existing.name = input.name;
      if (input.email !== undefined) existing.email = input.email;
      return existing;
    }
    if (this.organization(input.login)) throw new Error(`${input.login} is an organization`);
    const now = input.createdAt ?? this.clock();
    const user: UserRecord = {
      __typename: "User",
      databaseId: this.nextId("User", input.databaseId),
      login: input.login,
      name: input.name ?? null,
      email: input.email ?? "",
      bio: input.bio ?? null,
      company: input.company ?? null,
      location: input.location ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(input.login.toLowerCase(), user);
    return user;
  }

  user(login: string): UserRecord | undefined {
    return this.users.get(login.toLowerCase());
  }

  userById(databaseId: number): UserRecord | undefined {
    for (const user of this.users.values()) if (user.databaseId === databaseId) return user;
    return undefined;
  }

  /** Organizations share the account ID sequence with users, as on GitHub. */
  addOrganization(input: NewOrganization): OrganizationRecord {
    const existing = this.organization(input.login);
    if (existing) {
      for (const login of input.members ?? []) this.addMember(existing.login, login);
      if (input.samlSso !== undefined) existing.samlSso = input.samlSso;
      return existing;
    }
    if (this.user(input.login)) throw new Error(`${input.login} is a user`);
    const now = input.createdAt ?? this.clock();
    const org: OrganizationRecord = {
      __typename: "Organization",
      databaseId: this.nextId("User", input.databaseId),
      login: input.login,
      name: input.name ?? null,
      description: input.description ?? null,
      memberLogins: [],
      samlSso: input.samlSso ?? false,
      createdAt: now,
      updatedAt: now,
    };
    this.organizations.set(input.login.toLowerCase(), org);
    for (const login of input.members ?? []) this.addMember(org.login, login);
    return org;
  }

  /** Makes `login` (created as a user when unknown) a member of the organization (created when unknown). */
  addMember(orgLogin: string, login: string): UserRecord {
    const org = this.addOrganization({ login: orgLogin });
    const user = this.addUser({ login });
    if (!org.memberLogins.includes(user.login)) org.memberLogins.push(user.login);
    return user;
  }

  /** The organizations a user belongs to. */
  organizationsOf(login: string): OrganizationRecord[] {
    const l = login.toLowerCase();
    return [...this.organizations.values()].filter((o) => o.memberLogins.some((m) => m.toLowerCase() === l));
  }

  allOrganizations(): OrganizationRecord[] {
    return [...this.organizations.values()];
  }

  organization(login: string): OrganizationRecord | undefined {
    return this.organizations.get(login.toLowerCase());
  }

  organizationById(databaseId: number): OrganizationRecord | undefined {
    for (const org of this.organizations.values()) if (org.databaseId === databaseId) return org;
    return undefined;
  }

  /** A repository owner: a user or an organization. */
  owner(login: string): UserRecord | OrganizationRecord | undefined {
    return this.user(login) ?? this.organization(login);
  }

  addTeam(input: NewTeam): TeamRecord {
    const org = this.addOrganization({ login: input.org });
    const existing = this.team(org.login, input.slug);
    if (existing) return existing;
    const team: TeamRecord = {
      __typename: "Team",
      databaseId: this.nextId("Team"),
      orgLogin: org.login,
      slug: input.slug,
      name: input.name ?? input.slug,
      description: input.description ?? null,
      createdAt: this.clock(),
    };
    this.teams.set(team.databaseId, team);
    return team;
  }

  team(orgLogin: string, slug: string): TeamRecord | undefined {
    const o = orgLogin.toLowerCase();
    const s = slug.toLowerCase();
    return [...this.teams.values()].find((t) => t.orgLogin.toLowerCase() === o && t.slug.toLowerCase() === s);
  }

  teamById(databaseId: number): TeamRecord | undefined {
    return this.teams.get(databaseId);
  }

  /** An enterprise team by slug (created when unknown). */
  addEnterpriseTeam(slug: string, name?: string): EnterpriseTeamRecord {
    const existing = [...this.enterpriseTeams.values()].find((t) => t.slug.toLowerCase() === slug.toLowerCase());
    if (existing) return existing;
    const team: EnterpriseTeamRecord = { __typename: "EnterpriseTeam", databaseId: this.nextId("EnterpriseTeam"), slug, name: name ?? slug };
    this.enterpriseTeams.set(team.databaseId, team);
    return team;
  }

  enterpriseTeamById(databaseId: number): EnterpriseTeamRecord | undefined {
    return this.enterpriseTeams.get(databaseId);
  }

  teamsOf(orgLogin: string): TeamRecord[] {
    const o = orgLogin.toLowerCase();
    return [...this.teams.values()].filter((t) => t.orgLogin.toLowerCase() === o);
  }

  addRepository(input: NewRepository): RepositoryRecord {
    const owner = this.organization(input.owner) ?? this.addUser({ login: input.owner });
    if (this.repository(owner.login, input.name)) throw new Error(`repository ${owner.login}/${input.name} exists`);
    const now = input.createdAt ?? this.clock();
    const repo: RepositoryRecord = {
      __typename: "Repository",
      databaseId: this.nextId("Repository", input.databaseId),
      ownerLogin: owner.login,
      name: input.name,
      description: input.description ?? null,
      isPrivate: input.isPrivate ?? false,
      defaultBranch: input.defaultBranch ?? "main",
      requiresReview: input.requireReviews ?? false,
      collaboratorLogins: [],
      createdAt: now,
      updatedAt: now,
    };
    this.repositories.set(repo.databaseId, repo);
    for (const login of input.collaborators ?? []) this.addCollaborator(repo, login);
    return repo;
  }

  repository(owner: string, name: string): RepositoryRecord | undefined {
    const o = owner.toLowerCase();
    const n = name.toLowerCase();
    for (const repo of this.repositories.values()) {
      if (repo.ownerLogin.toLowerCase() === o && repo.name.toLowerCase() === n) return repo;
    }
    return undefined;
  }

  repositoryById(databaseId: number): RepositoryRecord | undefined {
    return this.repositories.get(databaseId);
  }

  allRepositories(): RepositoryRecord[] {
    return [...this.repositories.values()];
  }

  repositoriesOf(ownerLogin: string): RepositoryRecord[] {
    const o = ownerLogin.toLowerCase();
    return [...this.repositories.values()].filter((r) => r.ownerLogin.toLowerCase() === o);
  }

  /** Makes `login` assignable in the repository (created as a user when unknown). */
  addCollaborator(repo: RepositoryRecord, login: string): UserRecord {
    const user = this.addUser({ login });
    if (!repo.collaboratorLogins.includes(user.login)) repo.collaboratorLogins.push(user.login);
    return user;
  }

  /** Who can be assigned: a user owner and the collaborators, by login. */
  assignableUsers(repo: RepositoryRecord): UserRecord[] {
    const logins = [repo.ownerLogin, ...repo.collaboratorLogins];
    const users = logins.map((login) => this.user(login)).filter((u): u is UserRecord => u !== undefined);
    return [...new Set(users)].sort((a, b) => a.login.localeCompare(b.login));
  }

  addLabel(input: NewLabel): LabelRecord {
    const repo = this.requireRepository(input.owner, input.repo);
    const existing = this.label(repo.databaseId, input.name);
    if (existing) return existing;
    const label: LabelRecord = {
      __typename: "Label",
      databaseId: this.nextId("Label"),
      repositoryId: repo.databaseId,
      name: input.name,
      color: input.color ?? "ededed",
      description: input.description ?? null,
      createdAt: this.clock(),
    };
    this.labels.set(label.databaseId, label);
    return label;
  }

  /** A label whatever the case of `name`: GitHub keeps one label per name regardless of case (git-bug#176). */
  label(repositoryId: number, name: string): LabelRecord | undefined {
    const n = name.toLowerCase();
    return this.labelsOf(repositoryId).find((l) => l.name.toLowerCase() === n);
  }

  /** A label by its exact name, as `Repository.label(name:)` and the `labels` filters match (cli/cli#1819, git-bug#176). */
  labelExact(repositoryId: number, name: string): LabelRecord | undefined {
    return this.labelsOf(repositoryId).find((l) => l.name === name);
  }

  labelById(databaseId: number): LabelRecord | undefined {
    return this.labels.get(databaseId);
  }

  labelsOf(repositoryId: number): LabelRecord[] {
    return [...this.labels.values()].filter((l) => l.repositoryId === repositoryId);
  }

  protected authorLogin(login: string | null | undefined): string | null {
    return login ? this.addUser({ login }).login : null;
  }

  protected requireRepository(owner: string, name: string): RepositoryRecord {
    const repo = this.repository(owner, name);
    if (!repo) throw new Error(`no repository ${owner}/${name}; add it with addRepository first`);
    return repo;
  }

  protected nextId(type: NodeTypeName, wanted?: number): number {
    const last = this.ids.get(type) ?? 0;
    const id = wanted ?? last + 1;
    this.ids.set(type, Math.max(last, id));
    return id;
  }
}
