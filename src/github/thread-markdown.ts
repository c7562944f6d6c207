import type { GitHubIssueThread } from "../../resolvers/types/github-thread.type";
import { visibleText as v, withoutInvisible } from "./visible-text";

const at = (login: string | null) => (login ? `@${login}` : "a deleted user");

/** Who wrote it and how they relate to the repository, so that a reader can weigh a stranger's words. */
const who = (login: string | null, association: string) =>
  `${at(login)} (${association === "NONE" ? "no association with the repository" : association.toLowerCase().replace(/_/g, " ")})`;

/**
 * The thread as Markdown for an LLM's context: everything the app builder needs, and what was left out.
 * Each of GitHub's texts is made visible on its own (visible-text.ts) before it is placed: a hidden HTML
 * comment left open in a description hides the rest of that description, as on GitHub's page, and never
 * the comments that follow it here.
 */
export function renderThreadMarkdown(t: Omit<GitHubIssueThread, "markdown">): string {
  const lines = [
    `# ${v(t.title)} (${t.repository}#${t.number})`,
    "",
    `- Kind: ${t.isPullRequest ? "pull request" : "issue"}; state: ${t.state.toLowerCase()}; opened by ${who(t.author, t.authorAssociation)}`,
    `- Labels: ${t.labels.length ? t.labels.map(v).join(", ") : "none"}`,
    `- Assignees: ${t.assignees.length ? t.assignees.map((a) => `@${a}`).join(", ") : "none"}`,
  ];
  if (t.linkedPullRequests.length) lines.push(`- Linked pull requests: ${t.linkedPullRequests.map((p) => `#${p.number} ${v(p.title)}`).join("; ")}`);
  lines.push(`- URL: ${t.url}`, "", "## Description", "", v(t.body).trim() || "_No description._", "");
  if (t.reviews.length) {
    lines.push("## Reviews", "");
    for (const r of t.reviews) {
      const body = v(r.body).trim();
      lines.push(`- ${who(r.reviewer, r.authorAssociation)}: ${r.state.toLowerCase().replace(/_/g, " ")}${body ? ` — ${body}` : ""}`);
    }
    lines.push("");
  }
  lines.push(`## Comments (${t.comments.length} of ${t.totalComments})`, "");
  for (const c of t.comments) lines.push(`### ${who(c.author, c.authorAssociation)} on ${c.createdAt.toISOString()}`, "", v(c.body).trim(), "");
  if (t.truncated) lines.push(`_${t.totalComments - t.comments.length} later comment(s) not included (cap reached)._`, "");
  return withoutInvisible(lines.join("\n"));
}
