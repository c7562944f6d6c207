import { ProtocolError, ResourceNotFoundError, type ReadResourceResult, type ResourceTemplateType } from "@modelcontextprotocol/server";
import { ErrorCode } from "../errors";
import { scrubText } from "../secrets/key-scrubber";
import { DEFAULT_MAX_COMMENTS, MAX_MAX_COMMENTS } from "../github/item-thread";
import type { OperationOutcome } from "./mcp-door";

// The app builder's context as MCP resources: an issue's or pull request's whole thread as Markdown, read
// through the IssueThreadContext operation (the same cap, budget and rules as the tool and /graphql).

/** The named operation a thread is read with. */
export const THREAD_OPERATION = "IssueThreadContext";

export const THREAD_TEMPLATES: ResourceTemplateType[] = [
  {
    uriTemplate: "github://{owner}/{repo}/issues/{number}",
    name: "issue-thread",
    title: "An issue's or pull request's thread",
    description: `The title, description, labels, linked pull requests and comments as Markdown, at most ${DEFAULT_MAX_COMMENTS} comments; add ?maxComments=N (up to ${MAX_MAX_COMMENTS}) to read more of a longer one. A pull request's number works too.`,
    mimeType: "text/markdown",
  },
];

const URI = /^github:\/\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})\/(?:issues|pull)\/(\d{1,10})(?:\?maxComments=(\d{1,5}))?$/;

/** The requested URI as an error echoes it: scrubbed, since a key pasted where a URI goes must not come back. */
const echoed = (uri: string) => scrubText(uri.slice(0, 300));

/**
 * A URI that names no thread this key can read: the specification's resource-not-found (-32602 whose data is
 * exactly the requested URI, the form 2026-07-28 requires and SDK clients of every revision recognise).
 */
const notFound = (uri: string, message: string) => new ResourceNotFoundError(echoed(uri), message);

/** Which thread a URI names, or why it names none (JSON-RPC's invalid params). */
export function threadOf(uri: string): { owner: string; repo: string; number: number; maxComments?: number } {
  const m = URI.exec(uri);
  if (!m) throw notFound(uri, "Not a thread this server serves: github://OWNER/REPO/issues/NUMBER[?maxComments=N].");
  const [, owner, repo, number, maxComments] = m;
  return { owner, repo, number: Number(number), ...(maxComments !== undefined ? { maxComments: Number(maxComments) } : {}) };
}

interface ThreadData {
  github: { issueThread: { markdown: string; totalComments: number; truncated: boolean; comments: unknown[] } | null };
}

/**
 * The thread's Markdown, from the operation's answer. A thread cut at its cap says so at its end and names
 * the URI that reads twice as many comments (up to MAX_MAX_COMMENTS); `_meta` carries the same facts.
 */
export function threadResource(uri: string, maxComments: number | undefined, outcome: OperationOutcome): ReadResourceResult {
  if ("errors" in outcome) {
    const [{ code }] = outcome.errors;
    const text = outcome.errors.map((e) => `${e.code}: ${e.message}`).join("\n");
    if (code === ErrorCode.GITHUB_NOT_FOUND) throw notFound(uri, text);
    throw new ProtocolError(code === ErrorCode.BAD_USER_INPUT ? -32602 : -32603, text, { code, uri: echoed(uri) });
  }
  const thread = (outcome.data as unknown as ThreadData).github.issueThread;
  if (!thread) throw notFound(uri, `${ErrorCode.GITHUB_NOT_FOUND}: GitHub found no such issue or pull request, or it is not granted to this key.`);
  const cap = maxComments ?? DEFAULT_MAX_COMMENTS;
  const base = uri.replace(/\?.*$/, "");
  const readOn = thread.truncated && cap < MAX_MAX_COMMENTS ? `${base}?maxComments=${Math.min(MAX_MAX_COMMENTS, Math.max(cap * 2, 1))}` : null;
  const note = !thread.truncated
    ? ""
    : readOn
      ? `\n_${thread.comments.length} of ${thread.totalComments} comments shown: read ${readOn} for more._\n`
      : `\n_${thread.comments.length} of ${thread.totalComments} comments shown, the most one read returns._\n`;
  return {
    contents: [{ uri, mimeType: "text/markdown", text: thread.markdown + note, _meta: { totalComments: thread.totalComments, truncated: thread.truncated, readOn } }],
  };
}
