import type { NodeTypeName } from "./node-id";
import type {
  CommentRecord, IssueRecord, LabelRecord, NewComment, NewIssue, NewLabel, NewPullRequest,
  NewRepository, NewUser, NodeRecord, PullRequestRecord, RepositoryRecord, UserRecord,
} from "./store-records";

export type * from "./store-records";

/**
 * The emulator's GitHub data. Records carry `__typename` so interfaces and unions (Node, Actor,
 * IssueOrPullRequest, ...) resolve to their GitHub type. Seed methods create what they refer to
 * (owners, authors, labels) so fixtures stay short.
 */
export class EmulatorStore {
  private readonly ids = new Map<NodeTypeName, number>();
  private readonly users = new Map<string, UserRecord>();
  private readonly repositories = new Map<number, RepositoryRecord>();
  private readonly labels = new Map<number, LabelRecord>();
  private readonly issues = new Map<number, IssueRecord>();
  private readonly pullRequests = new Map<number, PullRequestRecord>();
  private readonly comments = new Map<number, CommentRecord>();
  private readonly lastNumber = new Map<number, number>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  addUser(input: NewUser): UserRecord {
    const existing = this.user(input.login);
    if (existing) {
      if (input.name !== undefined) existing.name = input.name;
      if (input.email !== undefined) existing.email = input.email;
      return existing;
    }
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

  addRepository(input: NewRepository): RepositoryRecord {
    const owner = this.addUser({ login: input.owner });
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
      createdAt: now,
      updatedAt: now,
    };
    this.repositories.set(repo.databaseId, repo);
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

  repositoriesOf(ownerLogin: string): RepositoryRecord[] {
    const o = ownerLogin.toLowerCase();
    return [...this.repositories.values()].filter((r) => r.ownerLogin.toLowerCase() === o);
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

  label(repositoryId: number, name: string): LabelRecord | undefined {
    const n = name.toLowerCase();
    return this.labelsOf(repositoryId).find((l) => l.name.toLowerCase() === n);
  }

  labelsOf(repositoryId: number): LabelRecord[] {
    return [...this.labels.values()].filter((l) => l.repositoryId === repositoryId);
  }

  addIssue(input: NewIssue): IssueRecord {
    const base = this.issueBase(input);
    const issue: IssueRecord = {
      ...base,
      __typename: "Issue",
      databaseId: this.nextId("Issue"),
      state: input.state ?? "OPEN",
      stateReason: input.state === "CLOSED" ? "COMPLETED" : null,
      closedAt: input.state === "CLOSED" ? (input.closedAt ?? base.updatedAt) : null,
    };
    this.issues.set(issue.databaseId, issue);
    return issue;
  }

  addPullRequest(input: NewPullRequest): PullRequestRecord {
    const base = this.issueBase(input);
    const state = input.state ?? (input.mergedAt ? "MERGED" : "OPEN");
    const mergedAt = state === "MERGED" ? (input.mergedAt ?? base.updatedAt) : null;
    const pr: PullRequestRecord = {
      ...base,
      __typename: "PullRequest",
      databaseId: this.nextId("PullRequest"),
      state,
      closedAt: state === "OPEN" ? null : (input.closedAt ?? mergedAt ?? base.updatedAt),
      mergedAt,
      isDraft: input.isDraft ?? false,
      baseRefName: input.baseRefName ?? this.requireRepository(input.owner, input.repo).defaultBranch,
      headRefName: input.headRefName ?? `feature-${base.number}`,
      mergeable: input.mergeable ?? "MERGEABLE",
      reviewDecision: input.reviewDecision ?? null,
      checkState: input.checkState ?? null,
    };
    this.pullRequests.set(pr.databaseId, pr);
    return pr;
  }

  /** An issue or pull request by its number (they share one sequence per repository, as on GitHub). */
  issueOrPullRequest(repositoryId: number, number: number): IssueRecord | PullRequestRecord | undefined {
    for (const map of [this.issues, this.pullRequests]) {
      for (const item of map.values()) {
        if (item.repositoryId === repositoryId && item.number === number) return item;
      }
    }
    return undefined;
  }

  issuesOf(repositoryId: number): IssueRecord[] {
    return [...this.issues.values()].filter((i) => i.repositoryId === repositoryId);
  }

  pullRequestsOf(repositoryId: number): PullRequestRecord[] {
    return [...this.pullRequests.values()].filter((p) => p.repositoryId === repositoryId);
  }

  addComment(input: NewComment): CommentRecord {
    const repo = this.requireRepository(input.owner, input.repo);
    const subject = this.issueOrPullRequest(repo.databaseId, input.number);
    if (!subject) throw new Error(`no issue or pull request #${input.number} in ${repo.ownerLogin}/${repo.name}`);
    const at = input.createdAt ?? this.clock();
    const comment: CommentRecord = {
      __typename: "IssueComment",
      databaseId: this.nextId("IssueComment"),
      repositoryId: repo.databaseId,
      number: input.number,
      authorLogin: this.authorLogin(input.author),
      body: input.body,
      createdAt: at,
      updatedAt: at,
    };
    this.comments.set(comment.databaseId, comment);
    return comment;
  }

  commentsOf(repositoryId: number, number: number): CommentRecord[] {
    return [...this.comments.values()]
      .filter((c) => c.repositoryId === repositoryId && c.number === number)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.databaseId - b.databaseId);
  }

  repositoryById(databaseId: number): RepositoryRecord | undefined {
    return this.repositories.get(databaseId);
  }

  userById(databaseId: number): UserRecord | undefined {
    for (const user of this.users.values()) if (user.databaseId === databaseId) return user;
    return undefined;
  }

  /** The record behind a global node ID's type and database ID (see node-id.ts). */
  findNode(type: NodeTypeName, databaseId: number): NodeRecord | undefined {
    switch (type) {
      case "User": return this.userById(databaseId);
      case "Repository": return this.repositories.get(databaseId);
      case "Label": return this.labels.get(databaseId);
      case "Issue": return this.issues.get(databaseId);
      case "PullRequest": return this.pullRequests.get(databaseId);
      case "IssueComment": return this.comments.get(databaseId);
      default: return undefined;
    }
  }

  private issueBase(input: NewIssue | NewPullRequest) {
    const repo = this.requireRepository(input.owner, input.repo);
    const number = (this.lastNumber.get(repo.databaseId) ?? 0) + 1;
    this.lastNumber.set(repo.databaseId, number);
    const createdAt = input.createdAt ?? this.clock();
    return {
      repositoryId: repo.databaseId,
      number,
      title: input.title,
      body: input.body ?? "",
      authorLogin: this.authorLogin(input.author),
      labelIds: (input.labels ?? []).map((name) => this.addLabel({ owner: input.owner, repo: input.repo, name }).databaseId),
      assigneeLogins: (input.assignees ?? []).map((login) => this.addUser({ login }).login),
      createdAt,
      updatedAt: input.updatedAt ?? createdAt,
    };
  }

  private authorLogin(login: string | null | undefined): string | null {
    return login ? this.addUser({ login }).login : null;
  }

  private requireRepository(owner: string, name: string): RepositoryRecord {
    const repo = this.repository(owner, name);
    if (!repo) throw new Error(`no repository ${owner}/${name}; add it with addRepository first`);
    return repo;
  }

  private nextId(type: NodeTypeName, wanted?: number): number {
    const last = this.ids.get(type) ?? 0;
    const id = wanted ?? last + 1;
    this.ids.set(type, Math.max(last, id));
    return id;
  }
}
