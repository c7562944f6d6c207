// Record shapes kept by EmulatorStore, and the inputs of its seed methods. Records hold
// references by database ID or login; resolvers turn them into GitHub's object graph.

export interface UserRecord {
  __typename: "User";
  databaseId: number;
  login: string;
  name: string | null;
  email: string;
  bio: string | null;
  company: string | null;
  location: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RepositoryRecord {
  __typename: "Repository";
  databaseId: number;
  ownerLogin: string;
  name: string;
  description: string | null;
  isPrivate: boolean;
  defaultBranch: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface LabelRecord {
  __typename: "Label";
  databaseId: number;
  repositoryId: number;
  name: string;
  color: string;
  description: string | null;
  createdAt: Date;
}

interface IssueLikeRecord {
  databaseId: number;
  repositoryId: number;
  number: number;
  title: string;
  body: string;
  authorLogin: string | null;
  labelIds: number[];
  assigneeLogins: string[];
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface IssueRecord extends IssueLikeRecord {
  __typename: "Issue";
  state: "OPEN" | "CLOSED";
  stateReason: "COMPLETED" | "NOT_PLANNED" | "REOPENED" | null;
}

export type MergeableState = "MERGEABLE" | "CONFLICTING" | "UNKNOWN";
export type ReviewDecision = "APPROVED" | "CHANGES_REQUESTED" | "REVIEW_REQUIRED";
export type StatusState = "ERROR" | "EXPECTED" | "FAILURE" | "PENDING" | "SUCCESS";

export interface PullRequestRecord extends IssueLikeRecord {
  __typename: "PullRequest";
  state: "OPEN" | "CLOSED" | "MERGED";
  mergedAt: Date | null;
  isDraft: boolean;
  baseRefName: string;
  headRefName: string;
  mergeable: MergeableState;
  reviewDecision: ReviewDecision | null;
  /** The last commit's statusCheckRollup state; null when the commit has no checks. */
  checkState: StatusState | null;
}

export interface CommentRecord {
  __typename: "IssueComment";
  databaseId: number;
  repositoryId: number;
  /** The issue or pull request number the comment belongs to. */
  number: number;
  authorLogin: string | null;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

export type NodeRecord =
  | UserRecord | RepositoryRecord | LabelRecord | IssueRecord | PullRequestRecord | CommentRecord;

export interface NewUser {
  login: string;
  name?: string | null;
  databaseId?: number;
  email?: string;
  bio?: string | null;
  company?: string | null;
  location?: string | null;
  createdAt?: Date;
}

export interface NewRepository {
  owner: string;
  name: string;
  description?: string | null;
  isPrivate?: boolean;
  defaultBranch?: string;
  databaseId?: number;
  createdAt?: Date;
}

export interface NewLabel {
  owner: string;
  repo: string;
  name: string;
  color?: string;
  description?: string | null;
}

export interface NewIssue {
  owner: string;
  repo: string;
  title: string;
  body?: string;
  /** Login; created as a user when unknown. Null for a deleted ("ghost") author. */
  author?: string | null;
  state?: "OPEN" | "CLOSED";
  /** Label names; missing labels are created. */
  labels?: string[];
  assignees?: string[];
  createdAt?: Date;
  updatedAt?: Date;
  closedAt?: Date;
}

export interface NewPullRequest extends Omit<NewIssue, "state"> {
  /** Defaults to MERGED when mergedAt is given, else OPEN. */
  state?: "OPEN" | "CLOSED" | "MERGED";
  mergedAt?: Date;
  isDraft?: boolean;
  baseRefName?: string;
  headRefName?: string;
  mergeable?: MergeableState;
  reviewDecision?: ReviewDecision | null;
  checkState?: StatusState | null;
}

export interface NewComment {
  owner: string;
  repo: string;
  /** Issue or pull request number. */
  number: number;
  body: string;
  author?: string | null;
  createdAt?: Date;
}
