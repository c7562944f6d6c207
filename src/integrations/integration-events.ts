import type { IntegrationEventEntity } from "../../entities/integration-event.entity";
import { badUserInput } from "../errors";
import type { IntegrationProvider } from "../../entities/integration-enums";
import type { IntegrationStore } from "./integration-store";

export interface EventPage {
  nodes: IntegrationEventEntity[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const MAX_EVENTS_PAGE = 100;
const MAX_BIGINT = 9223372036854775807n;
const encodeCursor = (id: string) => Buffer.from(`event:${id}`).toString("base64url");

function decodeCursor(cursor: string): string {
  const m = /^event:(\d{1,19})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  // Event ids are bigint: 19 digits can still be past PostgreSQL's largest.
  if (!m || BigInt(m[1]) > MAX_BIGINT) throw badUserInput("The `after` cursor is not one this API returned.", "after");
  return m[1];
}

/** The audit trail of a tenant's provider, newest first, with opaque cursors. */
export async function listEvents(
  store: IntegrationStore,
  tenantId: string,
  provider: IntegrationProvider,
  first = 20,
  after?: string | null,
): Promise<EventPage> {
  if (!Number.isInteger(first) || first < 1 || first > MAX_EVENTS_PAGE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_EVENTS_PAGE}.`, "first");
  }
  // One more than asked says whether there is a next page.
  const rows = await store.events(tenantId, provider, first + 1, after ? decodeCursor(after) : undefined);
  const nodes = rows.slice(0, first);
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null },
  };
}
