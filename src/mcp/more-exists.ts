// Long answers say plainly that more exists and how to get it: a model reading a tool's answer may not know
// that a list of 50 is 50 of 312, or that a thread was cut at its cap.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One sentence per list or thread in the answer that holds fewer items than exist. */
export function moreExists(data: Json, path: string[] = []): string[] {
  if (Array.isArray(data)) return data.flatMap((item, i) => moreExists(item, [...path, String(i)]));
  if (!data || typeof data !== "object") return [];
  const notes: string[] = [];
  const where = path.join(".") || "the answer";
  const { nodes, totalCount, comments, totalComments, truncated } = data;
  if (Array.isArray(nodes) && typeof totalCount === "number" && nodes.length < totalCount) {
    notes.push(`${where}: ${nodes.length} of ${totalCount} shown; narrow the query (a repository, a label, a date) to see the others.`);
  }
  if (truncated === true && Array.isArray(comments) && typeof totalComments === "number") {
    notes.push(`${where}: ${comments.length} of ${totalComments} comments shown; call again with a larger maxComments (at most 2000), or read the thread's resource.`);
  }
  for (const [key, value] of Object.entries(data)) notes.push(...moreExists(value, [...path, key]));
  return notes;
}
