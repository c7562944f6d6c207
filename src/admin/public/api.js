// The page's only way to the gateway: a JSON POST to /graphql with the caller's token. A JSON POST
// passes Apollo's CSRF prevention; the server decides what the caller may do.

const CARD_FIELDS = "id status keyFingerprint registeredAt registeredBy tokenType accountLogin scopes expiresAt keyRejectedAt lastUsedAt health reach { repositories privateRepositories complete owners organizationsNeedingSso advice }";
/** Events per page: ten rows still read on a phone, where each row stacks into four lines. */
export const EVENTS_PAGE_SIZE = 10;
const EVENTS = `integrationEvents(first: ${EVENTS_PAGE_SIZE}, after: $after) { nodes { id action actor keyFingerprint at } pageInfo { hasNextPage endCursor } }`;

// Named operations, so that the gateway's request log says what the page did.
const OPS = {
  // Members get FORBIDDEN for events, so they are never asked for.
  memberCard: `query AdminPageCard { integration { ${CARD_FIELDS} } }`,
  adminCard: `query AdminPageCardAndEvents($after: String) { integration { ${CARD_FIELDS} } ${EVENTS} }`,
  events: `query AdminPageEvents($after: String) { ${EVENTS} }`,
  connect: `mutation AdminPageConnect($token: String!) { connectIntegration(input: { provider: GITHUB, token: $token }) { ${CARD_FIELDS} } }`,
  renew: `mutation AdminPageRenew($token: String!) { renewIntegration(input: { provider: GITHUB, token: $token }) { ${CARD_FIELDS} } }`,
  toggle: `mutation AdminPageToggle($active: Boolean!) { toggleIntegration(input: { provider: GITHUB, active: $active }) { ${CARD_FIELDS} } }`,
  disconnect: "mutation AdminPageDisconnect { disconnectIntegration(input: { provider: GITHUB }) { provider disconnectedAt } }",
};

/**
 * An error from the gateway (or from reaching it, or the page's own refusal), with a headline in plain
 * words (`message`), the gateway's own sentence (`detail`) and the code and extensions behind it for
 * the "Details" disclosure. `code` is null for a refusal the page made without asking the gateway.
 */
export class ApiError extends Error {
  constructor(code, detail, extensions = {}, headline = undefined) {
    super(headline ?? headlineOf(code, detail, extensions));
    this.name = "ApiError";
    this.code = code;
    this.detail = detail;
    this.extensions = extensions;
  }
}

/** A refusal the page makes itself, before anything is sent: its own sentence, no gateway code. */
export const pageError = (headline, extensions = {}) => new ApiError(null, "", extensions, headline);

/**
 * Codes whose gateway message is not the best headline here: it speaks to an API client ("Bearer
 * token"), is hidden (internal errors), or the page knows more (when to retry; that it reloaded the card).
 * For every other code the gateway's message is already the plain, specific reason ("This classic key
 * lacks the 'repo' scope..."), which a generic sentence would hide.
 */
const PAGE_WORDED = new Set([
  "UNAUTHENTICATED", "FORBIDDEN", "INTEGRATION_NOT_CONNECTED", "INTEGRATION_ALREADY_CONNECTED", "CONFLICT", "QUERY_TOO_COMPLEX",
  "GATEWAY_RATE_LIMITED", "GITHUB_RATE_LIMITED", "GITHUB_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "NETWORK_ERROR", "UNKNOWN",
]);

export function headlineOf(code, gatewayMessage, extensions = {}) {
  const message = typeof gatewayMessage === "string" ? gatewayMessage.trim() : "";
  return message && !PAGE_WORDED.has(code) ? message : plainWords(code, extensions);
}

function until(extensions) {
  if (typeof extensions.retryAfter === "number") return `in ${extensions.retryAfter} second${extensions.retryAfter === 1 ? "" : "s"}`;
  if (typeof extensions.resetAt === "string") return `after ${new Date(extensions.resetAt).toLocaleTimeString()}`;
  return "later";
}

/** One sentence per code of src/errors.ts, written for the person at the page. */
export function plainWords(code, extensions = {}) {
  switch (code) {
    case "UNAUTHENTICATED":
      return "Your sign-in token is missing, expired or not one this gateway issued. Sign in again with a fresh token.";
    case "FORBIDDEN":
      return "Only workspace admins can do this.";
    case "BAD_USER_INPUT":
      return "The gateway could not accept what was sent. The details below say which field.";
    case "INTEGRATION_NOT_CONNECTED":
      return "GitHub is not connected for this workspace (perhaps another admin just disconnected it). The card now shows its current state.";
    case "INTEGRATION_INACTIVE":
      return "GitHub is deactivated for this workspace. Activate it first.";
    case "INTEGRATION_ALREADY_CONNECTED":
      return "GitHub is already connected for this workspace (perhaps another admin just connected it). To replace the key, use Renew.";
    case "CONFLICT":
      return "Someone changed this integration at the same moment. The card now shows its current state; try again.";
    case "QUERY_TOO_COMPLEX":
      return "The request asked for too much at once; the gateway refused it.";
    case "GATEWAY_RATE_LIMITED":
      return `Too many requests to the gateway. Try again ${until(extensions)}.`;
    case "GITHUB_TOKEN_REJECTED":
      return "GitHub refused this key. Check that it was copied whole and has not expired or been revoked, or create a new one.";
    case "GITHUB_PERMISSION_DENIED":
      return `GitHub says this key lacks a permission it needs${extensions.permission ? ` (${extensions.permission})` : ""}. Create a key with the permissions listed on this page.`;
    case "GITHUB_NOT_FOUND":
      return "GitHub could not find what was asked for, or the key may not see it.";
    case "GITHUB_RATE_LIMITED":
      return `GitHub's rate limit for this key is used up. Try again ${until(extensions)}.`;
    case "GITHUB_UNAVAILABLE":
      return "GitHub could not be reached or did not answer in time. Try again in a moment.";
    case "INTERNAL_SERVER_ERROR":
      return "Something went wrong inside the gateway. Try again; if it keeps happening, tell whoever runs the gateway.";
    case "NETWORK_ERROR":
      return "The gateway could not be reached. Check your connection and try again.";
    default:
      return "The gateway answered with an error this page does not know.";
  }
}

async function post(token, query, variables) {
  let res;
  try {
    res = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiError("NETWORK_ERROR", "The request did not reach the gateway.");
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status === 401 ? "UNAUTHENTICATED" : "INTERNAL_SERVER_ERROR", `HTTP ${res.status} without a GraphQL answer.`);
  }
  return body;
}

function errorOf(error) {
  const extensions = error.extensions ?? {};
  return new ApiError(typeof extensions.code === "string" ? extensions.code : "UNKNOWN", error.message ?? "", extensions);
}

/** Runs one operation; throws an ApiError for the first GraphQL error. */
async function run(token, query, variables) {
  const body = await post(token, query, variables);
  if (body.errors?.length) throw errorOf(body.errors[0]);
  return body.data;
}

export function createApi(token) {
  return {
    /** The card and, for admins, the newest page of events. A failed events read does not hide the card. */
    async load(isAdmin) {
      const body = await post(token, isAdmin ? OPS.adminCard : OPS.memberCard);
      const errors = body.errors ?? [];
      const fatal = errors.find((e) => e.path?.[0] === "integration" || !e.path);
      if (fatal || !body.data) throw errorOf(fatal ?? errors[0] ?? {});
      return {
        integration: body.data.integration ?? null,
        events: body.data.integrationEvents ?? null,
        eventsError: errors.length ? errorOf(errors[0]) : null,
      };
    },
    /** One page of events, older than the cursor (`null`: the newest page). */
    events: async (after) => (await run(token, OPS.events, { after })).integrationEvents,
    connect: async (key) => (await run(token, OPS.connect, { token: key })).connectIntegration,
    renew: async (key) => (await run(token, OPS.renew, { token: key })).renewIntegration,
    toggle: async (active) => (await run(token, OPS.toggle, { active })).toggleIntegration,
    disconnect: async () => (await run(token, OPS.disconnect)).disconnectIntegration,
  };
}
