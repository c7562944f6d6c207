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

export interface ReviewStatusModel {
  decision: string | null;
  reviews: ReviewModel[];
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
