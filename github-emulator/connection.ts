// Relay connections the way GitHub serves them: opaque base64 cursors, `first`/`after` forwards,
// `last`/`before` backwards, and totalCount over everything that matched.

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  totalCount: number;
  nodes: T[];
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
}

const CURSOR_PREFIX = "cursor:v2:";

export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString("base64");
}

export function decodeCursor(cursor: string): number | null {
  const text = Buffer.from(cursor, "base64").toString("utf8");
  if (!text.startsWith(CURSOR_PREFIX)) return null;
  const offset = Number(text.slice(CURSOR_PREFIX.length));
  return Number.isInteger(offset) && offset >= 0 ? offset : null;
}

/** Thrown for a cursor the emulator did not issue; GitHub answers "`x` does not appear to be a valid cursor." */
export class InvalidCursorError extends Error {}

function offsetOf(cursor: string | null | undefined): number | null {
  if (cursor == null) return null;
  const offset = decodeCursor(cursor);
  if (offset === null) throw new InvalidCursorError(`\`${cursor}\` does not appear to be a valid cursor.`);
  return offset;
}

export function readConnectionArgs(args: Record<string, unknown>): ConnectionArgs {
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return { first: num(args.first), last: num(args.last), after: str(args.after), before: str(args.before) };
}

export function paginate<T>(items: readonly T[], args: ConnectionArgs): Connection<T> {
  const after = offsetOf(args.after);
  const before = offsetOf(args.before);
  let start = after === null ? 0 : after + 1;
  let end = before === null ? items.length : Math.min(before, items.length);
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  start = Math.min(start, end);
  const edges = items.slice(start, end).map((node, i) => ({ cursor: encodeCursor(start + i), node }));
  return {
    totalCount: items.length,
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
