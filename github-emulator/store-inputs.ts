// Inputs of EmulatorStore's seed methods. Seed methods create what they refer to (owners, authors,
// labels) so fixtures stay short.
import type { MergeableState, MergeStateStatus, ReviewDecision, ReviewState, StatusState } from "./store-records";

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

export interface NewOrganization {
  login: string;
  name?: string | null;
  description?: string | null;
  /** Member logins (created when unknown); more with addMember. */
  members?: string[];
  /**
   * The organization enforces SAML single sign-on: a classic key reaches its resources only once
   * authorised for it (EmulatorKey.ssoAuthorized). Fine-grained keys are authorised when created.
   */
  samlSso?: boolean;
  databaseId?: number;
  createdAt?: Date;
}

export interface NewTeam {
  /** The organization's login; created when unknown. */
  org: string;
  slug: string;
  /** Defaults to the slug. */
  name?: string;
  description?: string | null;
}

export interface NewRepository {
  /** A user's login (created when unknown) or an organization added with addOrganization. */
  owner: string;
  name: string;
  description?: string | null;
  isPrivate?: boolean;
  defaultBranch?: string;
  /** Branch protection with one required review: pull requests' reviewDecision is then derived from reviews. */
  requireReviews?: boolean;
  /** Logins who can be assigned (and appear in assignableUsers); created when unknown. */
  collaborators?: string[];
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
  /** Defaults to the next number after the highest in the repository (gaps are allowed, as on GitHub). */
  number?: number;
  body?: string;
  /** Login; created as a user when unknown. Null for a deleted ("ghost") author. */
  author?: string | null;
  state?: "OPEN" | "CLOSED";
  /** For a closed issue; defaults to COMPLETED. */
  stateReason?: "COMPLETED" | "NOT_PLANNED";
  /** Label names; missing labels are created. */
  labels?: string[];
  /** Logins; they become collaborators of the repository (GitHub only assigns assignable users). */
  assignees?: string[];
  createdAt?: Date;
  updatedAt?: Date;
  closedAt?: Date;
}

/** A user, a team of the repository's organization, or an enterprise team (2026 schema: `EnterpriseTeam`). */
export type NewReviewRequest = { user: string } | { team: string } | { enterpriseTeam: string };

export interface NewPullRequest extends Omit<NewIssue, "state" | "stateReason"> {
  /** Defaults to MERGED when mergedAt is given, else OPEN. */
  state?: "OPEN" | "CLOSED" | "MERGED";
  mergedAt?: Date;
  isDraft?: boolean;
  baseRefName?: string;
  headRefName?: string;
  mergeable?: MergeableState;
  /** Omitted: derived from reviews when the repository requires reviews, else null. */
  reviewDecision?: ReviewDecision | null;
  /** Omitted: derived (DRAFT, DIRTY, UNKNOWN, BLOCKED, UNSTABLE or CLEAN). */
  mergeStateStatus?: MergeStateStatus;
  /** The head commit's statusCheckRollup state; null or omitted for a commit without checks. */
  checkState?: StatusState | null;
  /** Pending review requests: users (created when unknown) and teams of the owning organization. */
  reviewRequests?: NewReviewRequest[];
  /** Numbers of issues in the same repository that this pull request closes. */
  closes?: number[];
  additions?: number;
  deletions?: number;
  changedFiles?: number;
  commitCount?: number;
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

export interface NewReview {
  owner: string;
  repo: string;
  /** Pull request number. */
  number: number;
  /** Login; null for a deleted user. */
  author: string | null;
  state: ReviewState;
  body?: string;
  /** Defaults to now; ignored for PENDING (a pending review is not submitted). */
  submittedAt?: Date;
}

export interface NewFile {
  owner: string;
  repo: string;
  path: string;
  content: string;
}
