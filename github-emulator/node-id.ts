// GitHub's current global IDs: a type prefix, "_", then base64url of a MessagePack array
// ([0, databaseId] here), e.g. "U_kgDOAAAAAQ" for user 1. Clients must treat them as opaque.

export const NODE_PREFIXES = {
  User: "U",
  Organization: "O",
  Repository: "R",
  Issue: "I",
  PullRequest: "PR",
  Label: "LA",
  IssueComment: "IC",
  Team: "T",
  EnterpriseTeam: "ET",
  PullRequestReview: "PRR",
  ReviewRequest: "RR",
} as const;

export type NodeTypeName = keyof typeof NODE_PREFIXES;

const HEADER = [0x92, 0x00, 0xce]; // fixarray(2), 0, uint32

export function encodeNodeId(type: NodeTypeName, databaseId: number): string {
  return nodeIdWithPrefix(NODE_PREFIXES[type], databaseId);
}

/** The same format for objects only REST shows (check runs `CR_`, statuses `SC_`), which no `node(id:)` resolves here. */
export function nodeIdWithPrefix(prefix: string, databaseId: number): string {
  const bytes = Buffer.alloc(7);
  bytes.set(HEADER, 0);
  bytes.writeUInt32BE(databaseId >>> 0, 3);
  return `${prefix}_${bytes.toString("base64url")}`;
}

export function decodeNodeId(id: string): { type: NodeTypeName; databaseId: number } | null {
  const cut = id.indexOf("_");
  if (cut <= 0) return null;
  const prefix = id.slice(0, cut);
  const type = (Object.keys(NODE_PREFIXES) as NodeTypeName[]).find((name) => NODE_PREFIXES[name] === prefix);
  if (!type) return null;
  const bytes = Buffer.from(id.slice(cut + 1), "base64url");
  if (bytes.length !== 7 || HEADER.some((b, i) => bytes[i] !== b)) return null;
  return { type, databaseId: bytes.readUInt32BE(3) };
}
