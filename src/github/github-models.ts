/** What the gateway answers about GitHub objects: flat, names instead of nested objects. */
export interface IssueModel {
  id: string;
  number: number;
  repository: string;
  title: string;
  body: string;
  state: "OPEN" | "CLOSED";
  url: string;
  author: string | null;
  labels: string[];
  assignees: string[];
  commentCount: number;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export interface ReviewModel {
  reviewer: string;
  state: string;
  submittedAt: Date | null;
}

export interface PendingReviewModel {
  /** A login or team slug; null when the key cannot read it, or GitHub gives it no name we may ask for. */
  reviewer: string | null;
  kind: "USER" | "TEAM" | "ENTERPRISE_TEAM" | "BOT" | "MANNEQUIN" | "HIDDEN" | "UNKNOWN";
}

export interface ReviewStatusModel {
  decision: string | null;
  reviews: ReviewModel[];
  pendingReviews: PendingReviewModel[];
  /** Each pending review's reviewer as it reads: a login, a team slug, or what it is ("an enterprise team"). */
  pendingReviewers: string[];
  checks: string | null;
  mergeable: string;
  isDraft: boolean;
  summary: string;
}

export interface PullRequestModel {
  id: string;
  number: number;
  repository: string;
  title: string;
  body: string;
  state: "OPEN" | "CLOSED" | "MERGED";
  url: string;
  author: string | null;
  labels: string[];
  isDraft: boolean;
  baseRefName: string;
  headRefName: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  mergedAt: Date | null;
  /** Present when the look-up fetched it (the caller selected reviewStatus). */
  reviewStatus?: ReviewStatusModel;
}

export interface Connection<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
