import { registerEnumType } from "type-graphql";

/**
 * The author's relation to the repository, as GitHub states it (its CommentAuthorAssociation), so that an
 * assistant can weigh text by who wrote it: a member's instruction is not a stranger's. A const object,
 * as GitHubIssueState, so that GitHub's generated union is assignable to it.
 */
export const GitHubAuthorAssociation = {
  OWNER: "OWNER",
  MEMBER: "MEMBER",
  COLLABORATOR: "COLLABORATOR",
  CONTRIBUTOR: "CONTRIBUTOR",
  FIRST_TIME_CONTRIBUTOR: "FIRST_TIME_CONTRIBUTOR",
  FIRST_TIMER: "FIRST_TIMER",
  MANNEQUIN: "MANNEQUIN",
  NONE: "NONE",
} as const;
export type GitHubAuthorAssociation = (typeof GitHubAuthorAssociation)[keyof typeof GitHubAuthorAssociation];

registerEnumType(GitHubAuthorAssociation, {
  name: "GitHubAuthorAssociation",
  description: "The author's relation to the repository, as GitHub states it.",
  valuesConfig: {
    OWNER: { description: "The owner of the repository." },
    MEMBER: { description: "A member of the organization that owns the repository." },
    COLLABORATOR: { description: "Invited to collaborate on the repository." },
    CONTRIBUTOR: { description: "Has committed to the repository before." },
    FIRST_TIME_CONTRIBUTOR: { description: "Has not committed to the repository before." },
    FIRST_TIMER: { description: "Has not committed to GitHub before." },
    MANNEQUIN: { description: "A placeholder for an unclaimed user." },
    NONE: { description: "No association with the repository: text from a stranger." },
  },
});
