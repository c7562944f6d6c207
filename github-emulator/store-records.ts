// Record shapes kept by EmulatorStore. Records hold references by database ID or login; resolvers
// turn them into GitHub's object graph. The inputs of the seed methods are in store-inputs.ts.

export type * from "./store-inputs";

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

export interface OrganizationRecord {
  __typename: "Organization";
  databaseId: number;
  login: string;
  name: string | null;
  description: string | null;
  /** Members' logins (User.organizations, repositories with affiliation ORGANIZATION_MEMBER). */
  memberLogins: string[];
  /** SAML single sign-on enforced: classic keys need authorising (see NewOrganization.samlSso). */
  samlSso: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface TeamRecord {
  __typename: "Team";
  databaseId: number;
  orgLogin: string;
  slug: string;
  name: string;
  description: string | null;
  createdAt: Date;
}

/** An enterprise's team; since GitHub's schema of 2026-05-20 it can be a pull request's requested reviewer. */
export interface EnterpriseTeamRecord {
  __typename: "EnterpriseTeam";
  databaseId: number;
  slug: string;
  name: string;
}

export interface RepositoryRecord {
  __typename: "Repository";
  databaseId: number;
  ownerLogin: string;
  name: string;
  description: string | null;
  isPrivate: boolean;
  defaultBranch: string;
  /** The default branch is protected with one required approving review: reviewDecision is derived. */
  requiresReview: boolean;
  /** Users who can be assigned (besides a user owner). */
  collaboratorLogins: string[];
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
export type MergeStateStatus = "BEHIND" | "BLOCKED" | "CLEAN" | "DIRTY" | "DRAFT" | "HAS_HOOKS" | "UNKNOWN" | "UNSTABLE";
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface PullRequestRecord extends IssueLikeRecord {
  __typename: "PullRequest";
  state: "OPEN" | "CLOSED" | "MERGED";
  mergedAt: Date | null;
  isDraft: boolean;
  baseRefName: string;
  headRefName: string;
  mergeable: MergeableState;
  /**
   * Set when seeded explicitly (null included). Undefined: derived from the reviews when the
   * repository requires reviews, else null (GitHub reports null without branch protection).
   */
  reviewDecision?: ReviewDecision | null;
  /** Undefined: derived from draft, mergeable, review decision and checks. */
  mergeStateStatus?: MergeStateStatus;
  /** The last commit's statusCheckRollup state; null when the commit has no checks. */
  checkState: StatusState | null;
  headOid: string;
  commitCount: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  /** Issue numbers (same repository) this pull request closes. */
  closingIssueNumbers: number[];
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

export interface ReviewRecord {
  __typename: "PullRequestReview";
  databaseId: number;
  repositoryId: number;
  pullRequestId: number;
  authorLogin: string | null;
  state: ReviewState;
  body: string;
  /** Null while PENDING. */
  submittedAt: Date | null;
  createdAt: Date;
}

export interface ReviewRequestRecord {
  __typename: "ReviewRequest";
  databaseId: number;
  repositoryId: number;
  pullRequestId: number;
  reviewer: { kind: "user"; login: string } | { kind: "team"; teamId: number } | { kind: "enterpriseTeam"; enterpriseTeamId: number };
}

export interface FileRecord {
  repositoryId: number;
  path: string;
  content: string;
  /** Git blob SHA of the content. */
  sha: string;
}

export type NodeRecord =
  | UserRecord | OrganizationRecord | TeamRecord | EnterpriseTeamRecord | RepositoryRecord | LabelRecord | IssueRecord
  | PullRequestRecord | CommentRecord | ReviewRecord | ReviewRequestRecord;
