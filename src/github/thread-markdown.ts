import type { GitHubIssueThread } from "../../resolvers/types/github-thread.type";
import { withoutInvisible } from "./visible-text";

const at = (login: string | null) => (login ? `@${login}` : "a deleted user");

/** The thread as Markdown for an LLM's context: everything the app builder needs, and what was left out. */
export function renderThreadMarkdown(t: Omit<GitHubIssueThread, "markdown">): string {
  const lines = [
    `# ${t.title} (${t.repository}#${t.number})`,
    "",
    `- Kind: ${t.isPullRequest ? "pull request" : "issue"}; state: ${t.state.toLowerCase()}; opened by ${at(t.author)}`,
    `- Labels: ${t.labels.length ? t.labels.join(", ") : "none"}`,
    `- Assignees: ${t.assignees.length ? t.assignees.map((a) => `@${a}`).join(", ") : "none"}`,
  ];
  if (t.linkedPullRequests.length) lines.push(`- Linked pull requests: ${t.linkedPullRequests.map((p) => `#${p.number} ${p.title}`).join("; ")}`);
  lines.push(`- URL: ${t.url}`, "", "## Description", "", t.body.trim() || "_No description._", "");
  if (t.reviews.length) {
    lines.push("## Reviews", "");
    for (const r of t.reviews) lines.push(`- ${at(r.reviewer)}: ${r.state.toLowerCase().replace(/_/g, " ")}${r.body.trim() ? ` — ${r.body.trim()}` : ""}`);
    lines.push("");
  }
  lines.push(`## Comments (${t.comments.length} of ${t.totalComments})`, "");
  for (const c of t.comments) lines.push(`### ${at(c.author)} on ${c.createdAt.toISOString()}`, "", c.body.trim(), "");
  if (t.truncated) lines.push(`_${t.totalComments - t.comments.length} later comment(s) not included (cap reached)._`, "");
  return withoutInvisible(lines.join("\n"));
}
