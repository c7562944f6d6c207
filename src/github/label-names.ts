import { ErrorCode, GatewayError } from "../errors";
import type { LabelList, LabelNode } from "./batch/lookup";
import type { GitHubSession } from "./github-session";

/** Suggestions offered for a label name a repository does not have. */
const MAX_SUGGESTIONS = 3;

const nodesOf = (list: LabelList): LabelNode[] => (list.nodes ?? []).filter((n): n is LabelNode => n !== null);

/** Levenshtein distance, case-insensitive: how far a typed name is from an existing one. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[y.length];
}

/** The existing names nearest to `wanted`: close in spelling, or containing it (or contained in it). */
export function nearestNames(wanted: string, existing: readonly string[]): string[] {
  const w = wanted.toLowerCase();
  return existing
    .map((name) => ({ name, d: name.toLowerCase().includes(w) || w.includes(name.toLowerCase()) ? 0.5 : distance(wanted, name) }))
    .filter(({ d }) => d <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ name }) => name);
}

/**
 * A repository's labels by the names a person typed ("bug" for "Bug"). GitHub matches label names exactly
 * in `label(name:)` and in list filters (cli/cli#1819, git-bug#176) but keeps one label per name whatever
 * its case, and `labels(query:)` ignores case: so each name is looked up there, all in the request's one
 * batched document, and matched here without regard to case. A name the repository does not have is the
 * caller's mistake, answered with the nearest names it has.
 */
export async function resolveLabels(github: GitHubSession, owner: string, repo: string, names: readonly string[]): Promise<LabelNode[]> {
  const wanted = [...new Map(names.map((n) => [n.toLowerCase(), n])).values()];
  const found = await Promise.all(
    wanted.map(async (name) => nodesOf(await github.lookup({ kind: "label", owner, repo, name })).find((l) => l.name.toLowerCase() === name.toLowerCase())),
  );
  const unknown = wanted.filter((_, i) => !found[i]);
  if (unknown.length === 0) return found as LabelNode[];
  const existing = nodesOf(await github.lookup({ kind: "labels", owner, repo })).map((l) => l.name);
  const suggestions = [...new Set(unknown.flatMap((name) => nearestNames(name, existing)))];
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(", ")}?` : existing.length > 0 ? ` It has ${existing.slice(0, 10).map((s) => `'${s}'`).join(", ")}.` : "";
  throw new GatewayError(
    ErrorCode.BAD_USER_INPUT,
    `${unknown.length === 1 ? "The label" : "The labels"} ${unknown.map((n) => `'${n}'`).join(", ")} ${unknown.length === 1 ? "does" : "do"} not exist in ${owner}/${repo}.${hint}`,
    { field: "labels", unknown, suggestions },
  );
}
