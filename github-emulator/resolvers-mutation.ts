import { acceptedPermission } from "./access";
import { forbidden, submittedTooQuickly } from "./errors";
import { findNode, nodeNotFound, objectArg, optionalString, str, strings } from "./resolver-helpers";
import { defineType, type Args } from "./resolver-kit";
import type { IssueRecord } from "./store";

// Mutations. Each costs 1 point (query-analysis.ts) and is marked `isMutation` in the recording.

interface CreateIssuePayload {
  clientMutationId: string | null;
  issue: IssueRecord;
}

export const Mutation = defineType<unknown>({
  createIssue: (_s, args, context): CreateIssuePayload => {
    const input: Args = objectArg(args, "input") ?? {};
    const repositoryId = str(input, "repositoryId");
    const repo = findNode(repositoryId, context);
    if (repo?.__typename !== "Repository") throw nodeNotFound(repositoryId);
    if (!context.access.canWrite(repo, "issues")) {
      context.acceptedPermissions.add(acceptedPermission("issues", "write"));
      throw forbidden();
    }
    const labels = (strings(input, "labelIds") ?? []).map((id) => {
      const label = findNode(id, context);
      if (label?.__typename !== "Label" || label.repositoryId !== repo.databaseId) throw nodeNotFound(id);
      return label.name;
    });
    const assignable = new Set(context.store.assignableUsers(repo).map((u) => u.login));
    const assignees = (strings(input, "assigneeIds") ?? []).map((id) => {
      const user = findNode(id, context);
      if (user?.__typename !== "User") throw nodeNotFound(id);
      return user.login;
    }).filter((login) => assignable.has(login)); // GitHub drops users who cannot be assigned
    // Content creation has its own secondary limits; a refusal creates nothing (cli/cli#4801).
    if (!context.createContent()) throw submittedTooQuickly();
    const issue = context.store.addIssue({
      owner: repo.ownerLogin, repo: repo.name, title: str(input, "title"), body: optionalString(input, "body") ?? "",
      author: context.viewer.login, labels, assignees,
    });
    return { clientMutationId: optionalString(input, "clientMutationId") ?? null, issue };
  },
});

export const CreateIssuePayload = defineType<CreateIssuePayload>({
  clientMutationId: (payload) => payload.clientMutationId,
  issue: (payload) => payload.issue,
});
