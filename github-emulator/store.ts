import { createHash } from "node:crypto";
import type { NodeTypeName } from "./node-id";
import { StoreBase } from "./store-base";
import type {
  CommentRecord, FileRecord, IssueRecord, NewComment, NewFile, NewIssue, NewPullRequest, NewReview, NodeRecord,
  PullRequestRecord, RepositoryRecord, ReviewRecord, ReviewRequestRecord,
} from "./store-records";

export type * from "./store-records";

export type IssueOrPullRequestRecord = IssueRecord | PullRequestRecord;

function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/**
 * The emulator's GitHub data. Records carry `__typename` so interfaces and unions (Node, Actor,
 * IssueOrPullRequest, ...) resolve to their GitHub type. Seed methods create what they refer to
 * (owners, authors, labels) so fixtures stay short. Accounts, repositories and labels: store-base.ts.
 */
export class EmulatorStore extends StoreBase {
  private readonly issues = new Map<number, IssueRecord>();
  private readonly pullRequests = new Map<number, PullRequestRecord>();
  private readonly comments = new Map<number, CommentRecord>();
  private readonly reviews = new Map<number, ReviewRecord>();
  private readonly reviewRequests = new Map<number, ReviewRequestRecord>();
  private readonly files = new Map<string, FileRecord>();
  private readonly lastNumber = new Map<number, number>();

  addIssue(input: NewIssue): IssueRecord {
    const base = this.issueBase(input);
    const closed = input.state === "CLOSED";
    const issue: IssueRecord = {
      ...base,
      __typename: "Issue",
      databaseId: this.nextId("Issue"),
      state: input.state ?? "OPEN",
      stateReason: closed ? (input.stateReason ?? "COMPLETED") : null,
      closedAt: closed ? (input.closedAt ?? base.updatedAt) : null,
    };
    this.issues.set(issue.databaseId, issue);
    return issue;
  }

  addPullRequest(input: NewPullRequest): PullRequestRecord {
    const base = this.issueBase(input);
    const repo = this.requireRepository(input.owner, input.repo);
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
      baseRefName: input.baseRefName ?? repo.defaultBranch,
      headRefName: input.headRefName ?? `feature-${base.number}`,
      mergeable: input.mergeable ?? "MERGEABLE",
      checkState: input.checkState ?? null,
      headOid: createHash("sha1").update(`${repo.databaseId}/${base.number}/head`).digest("hex"),
      commitCount: input.commitCount ?? 1,
      additions: input.additions ?? 0,
      deletions: input.deletions ?? 0,
      changedFiles: input.changedFiles ?? 0,
      closingIssueNumbers: [...(input.closes ?? [])],
    };
    if (input.reviewDecision !== undefined) pr.reviewDecision = input.reviewDecision;
    if (input.mergeStateStatus !== undefined) pr.mergeStateStatus = input.mergeStateStatus;
    this.pullRequests.set(pr.databaseId, pr);
    for (const request of input.reviewRequests ?? []) {
      const reviewer: ReviewRequestRecord["reviewer"] = "user" in request
        ? { kind: "user", login: this.addUser({ login: request.user }).login }
        : "team" in request
          ? { kind: "team", teamId: this.addTeam({ org: repo.ownerLogin, slug: request.team }).databaseId }
          : { kind: "enterpriseTeam", enterpriseTeamId: this.addEnterpriseTeam(request.enterpriseTeam).databaseId };
      const record: ReviewRequestRecord = {
        __typename: "ReviewRequest", databaseId: this.nextId("ReviewRequest"), repositoryId: repo.databaseId, pullRequestId: pr.databaseId, reviewer,
      };
      this.reviewRequests.set(record.databaseId, record);
    }
    return pr;
  }

  /** An issue or pull request by its number (they share one sequence per repository, as on GitHub). */
  issueOrPullRequest(repositoryId: number, number: number): IssueOrPullRequestRecord | undefined {
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

  /** Every issue and pull request in the store (for search). */
  allIssuesAndPullRequests(): IssueOrPullRequestRecord[] {
    return [...this.issues.values(), ...this.pullRequests.values()];
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

  /** A submitted review also settles the reviewer's pending review request, as on GitHub. */
  addReview(input: NewReview): ReviewRecord {
    const repo = this.requireRepository(input.owner, input.repo);
    const pr = this.pullRequestsOf(repo.databaseId).find((p) => p.number === input.number);
    if (!pr) throw new Error(`no pull request #${input.number} in ${repo.ownerLogin}/${repo.name}`);
    const at = input.submittedAt ?? this.clock();
    const review: ReviewRecord = {
      __typename: "PullRequestReview",
      databaseId: this.nextId("PullRequestReview"),
      repositoryId: repo.databaseId,
      pullRequestId: pr.databaseId,
      authorLogin: this.authorLogin(input.author),
      state: input.state,
      body: input.body ?? "",
      submittedAt: input.state === "PENDING" ? null : at,
      createdAt: at,
    };
    this.reviews.set(review.databaseId, review);
    if (review.state !== "PENDING" && review.authorLogin) {
      const login = review.authorLogin;
      for (const request of this.reviewRequestsOf(pr.databaseId)) {
        if (request.reviewer.kind === "user" && request.reviewer.login === login) this.reviewRequests.delete(request.databaseId);
      }
    }
    return review;
  }

  /** Reviews in the order they were created. */
  reviewsOf(pullRequestId: number): ReviewRecord[] {
    return [...this.reviews.values()]
      .filter((r) => r.pullRequestId === pullRequestId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.databaseId - b.databaseId);
  }

  reviewRequestsOf(pullRequestId: number): ReviewRequestRecord[] {
    return [...this.reviewRequests.values()].filter((r) => r.pullRequestId === pullRequestId);
  }

  /** A file on the repository's default branch (replaced when the path exists). */
  addFile(input: NewFile): FileRecord {
    const repo = this.requireRepository(input.owner, input.repo);
    const path = input.path.replace(/^\/+/, "");
    const file: FileRecord = { repositoryId: repo.databaseId, path, content: input.content, sha: gitBlobSha(input.content) };
    this.files.set(`${repo.databaseId}:${path}`, file);
    return file;
  }

  filesOf(repositoryId: number): FileRecord[] {
    return [...this.files.values()].filter((f) => f.repositoryId === repositoryId);
  }

  allFiles(): FileRecord[] {
    return [...this.files.values()];
  }

  /** The repository a record belongs to (undefined for accounts and teams). */
  repositoryOf(record: NodeRecord): RepositoryRecord | undefined {
    if (record.__typename === "Repository") return record;
    if ("repositoryId" in record) return this.repositoryById(record.repositoryId);
    return undefined;
  }

  /** The record behind a global node ID's type and database ID (see node-id.ts). */
  findNode(type: NodeTypeName, databaseId: number): NodeRecord | undefined {
    switch (type) {
      case "User": return this.userById(databaseId);
      case "Organization": return this.organizationById(databaseId);
      case "Team": return this.teamById(databaseId);
      case "EnterpriseTeam": return this.enterpriseTeamById(databaseId);
      case "Repository": return this.repositoryById(databaseId);
      case "Label": return this.labelById(databaseId);
      case "Issue": return this.issues.get(databaseId);
      case "PullRequest": return this.pullRequests.get(databaseId);
      case "IssueComment": return this.comments.get(databaseId);
      case "PullRequestReview": return this.reviews.get(databaseId);
      case "ReviewRequest": return this.reviewRequests.get(databaseId);
    }
  }

  private issueBase(input: NewIssue | NewPullRequest) {
    const repo = this.requireRepository(input.owner, input.repo);
    const last = this.lastNumber.get(repo.databaseId) ?? 0;
    const number = input.number ?? last + 1;
    if (!Number.isInteger(number) || number < 1 || this.issueOrPullRequest(repo.databaseId, number)) {
      throw new Error(`#${number} is not free in ${repo.ownerLogin}/${repo.name}`);
    }
    this.lastNumber.set(repo.databaseId, Math.max(last, number));
    const createdAt = input.createdAt ?? this.clock();
    // Closing or merging touches updatedAt, as on GitHub.
    const touched = [input.closedAt, "mergedAt" in input ? input.mergedAt : undefined]
      .reduce<Date>((latest, at) => (at && at > latest ? at : latest), createdAt);
    return {
      repositoryId: repo.databaseId,
      number,
      title: input.title,
      body: input.body ?? "",
      authorLogin: this.authorLogin(input.author),
      labelIds: (input.labels ?? []).map((name) => this.addLabel({ owner: input.owner, repo: input.repo, name }).databaseId),
      assigneeLogins: (input.assignees ?? []).map((login) => this.addCollaborator(repo, login).login),
      createdAt,
      updatedAt: input.updatedAt ?? touched,
    };
  }
}
