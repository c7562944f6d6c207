import { badUserInput, ErrorCode, GatewayError, isGatewayError } from "../errors";
import type { GitHubSession } from "./github-session";
import { GatewayCreateIssueDocument } from "./generated/github-operations";
import { toIssue } from "./github-mappers";
import type { IssueModel } from "./github-models";

export interface NewIssue {
  owner: string;
  repo: string;
  title: string;
  body?: string | null;
  labels?: string[] | null;
  assignees?: string[] | null;
}

/** A look-up that must exist: GitHub's "not found" becomes the caller's mistake, naming what was wrong. */
async function mustExist<T>(found: Promise<T>, what: string, field: string): Promise<T> {
  try {
    return await found;
  } catch (e) {
    if (isGatewayError(e) && e.code === ErrorCode.GITHUB_NOT_FOUND) throw badUserInput(`${what} does not exist.`, field);
    throw e;
  }
}

/**
 * Creates an issue. GitHub's mutation takes node IDs, so the repository, every label and every
 * assignee are looked up first, all in one batched document; then the mutation goes out once, never
 * retried (it may have been applied when an answer is lost).
 */
export async function createIssue(github: GitHubSession, input: NewIssue): Promise<IssueModel> {
  const title = input.title.trim();
  if (!title) throw badUserInput("The issue needs a title.", "title");
  const labels = [...new Set(input.labels ?? [])];
  const assignees = [...new Set(input.assignees ?? [])];
  const ref = { owner: input.owner, repo: input.repo };
  const [repository, labelNodes, userNodes] = await Promise.all([
    mustExist(github.lookup({ kind: "repository", ...ref }), `The repository ${input.owner}/${input.repo}`, "repo"),
    Promise.all(labels.map((name) => mustExist(github.lookup({ kind: "label", ...ref, name }), `The label '${name}' in ${input.owner}/${input.repo}`, "labels"))),
    Promise.all(assignees.map((login) => mustExist(github.lookup({ kind: "user", login }), `The user '${login}'`, "assignees"))),
  ]);
  const data = await github.query(
    GatewayCreateIssueDocument,
    {
      input: {
        repositoryId: repository.id,
        title,
        body: input.body ?? null,
        // Names are case-insensitive on GitHub: "bug" and "Bug" are one label, sent once.
        labelIds: [...new Set(labelNodes.map((l) => l.id))],
        assigneeIds: [...new Set(userNodes.map((u) => u.id))],
      },
    },
    { mutation: true },
  );
  const issue = data.createIssue?.issue;
  if (!issue) throw new GatewayError(ErrorCode.GITHUB_UNAVAILABLE, "GitHub accepted the request but returned no issue.");
  return toIssue(issue);
}
