import { badUserInput, ErrorCode, GatewayError, isGatewayError } from "../errors";
import type { GitHubSession } from "./github-session";
import { GatewayCreateIssueDocument } from "./generated/github-operations";
import { NOT_FOUND_OR_NOT_GRANTED } from "./to-gateway-error";
import type { CreateGitHubIssueInput } from "../../resolvers/types/create-github-issue.input";
import type { GitHubIssue } from "../../resolvers/types/github-issue.type";
import { toIssue } from "./github-mappers";
import { resolveLabels } from "./label-names";

/**
 * GitHub's own bounds on one issue: "Issues cannot have more than 100 labels" (its REST validation error,
 * actions/labeler#115; github/docs#161), and up to 10 assignees ("Add assignees to an issue"). Checked
 * before any look-up, since each name would otherwise cost one (6,000 of each once made 121 requests).
 */
export const MAX_ISSUE_LABELS = 100;
export const MAX_ISSUE_ASSIGNEES = 10;

/** GitHub's "not found" for a look-up that must exist, said of what it was. */
async function mustExist<T>(found: Promise<T>, notFound: () => GatewayError): Promise<T> {
  try {
    return await found;
  } catch (e) {
    if (isGatewayError(e) && e.code === ErrorCode.GITHUB_NOT_FOUND) throw notFound();
    throw e;
  }
}

/**
 * Creates an issue. GitHub's mutation takes node IDs, so the repository, every label (matched whatever
 * its case) and every assignee are looked up first, all in one batched document; then the mutation goes
 * out once, never retried (it may have been applied when an answer is lost).
 */
export async function createIssue(github: GitHubSession, input: CreateGitHubIssueInput): Promise<GitHubIssue> {
  const title = input.title.trim();
  if (!title) throw badUserInput("The issue needs a title.", "title");
  const assignees = [...new Set(input.assignees ?? [])];
  // Counted as GitHub will hold them: one label per name whatever its case.
  const labelCount = new Set((input.labels ?? []).map((n) => n.toLowerCase())).size;
  if (labelCount > MAX_ISSUE_LABELS) throw badUserInput(`An issue can have at most ${MAX_ISSUE_LABELS} labels on GitHub; ${labelCount} were given.`, "labels");
  if (assignees.length > MAX_ISSUE_ASSIGNEES) throw badUserInput(`An issue can have at most ${MAX_ISSUE_ASSIGNEES} assignees on GitHub; ${assignees.length} were given.`, "assignees");
  const ref = { owner: input.owner, repo: input.repo };
  // A repository the key cannot reach reads on GitHub exactly like a missing one.
  const repositoryMissing = () => new GatewayError(ErrorCode.GITHUB_NOT_FOUND, `The repository ${input.owner}/${input.repo} was ${NOT_FOUND_OR_NOT_GRANTED}.`, { field: "repo" });
  const [repository, labelNodes, userNodes] = await Promise.all([
    mustExist(github.lookup({ kind: "repository", ...ref }), repositoryMissing),
    mustExist(resolveLabels(github, input.owner, input.repo, input.labels ?? []), repositoryMissing),
    Promise.all(assignees.map((login) => mustExist(github.lookup({ kind: "user", login }), () => badUserInput(`The user '${login}' does not exist.`, "assignees")))),
  ]);
  const data = await github.query(
    GatewayCreateIssueDocument,
    {
      input: {
        repositoryId: repository.id,
        title,
        body: input.body ?? null,
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
