// Draws the GitHub card and the events table from what the API answered. The page's HTML is static:
// this only fills text and shows or hides parts, so focus stays where the user left it.

const $ = (id) => document.getElementById(id);

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

// An audit trail needs the second and the zone: two events a few seconds apart, or an admin comparing
// with GitHub's log (UTC) or a colleague's screen, must not have to guess. The browser's zone, named.
const instantParts = new Intl.DateTimeFormat(undefined, {
  calendar: "gregory", numberingSystem: "latn", hourCycle: "h23", timeZoneName: "short",
  year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
});

/** "2026-12-02 06:47:14 UTC", or "2026-12-02 07:47:14 CET": year first, whatever the locale's order. */
export const instantFormat = {
  format(date) {
    const p = Object.fromEntries(instantParts.formatToParts(date).map((part) => [part.type, part.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
  },
};

/** A <time> element: readable text, the exact instant as its datetime. */
function timeElement(iso, format = instantFormat) {
  const t = document.createElement("time");
  t.dateTime = iso;
  t.textContent = format.format(new Date(iso));
  t.title = iso;
  return t;
}

/** The key's last 4 characters, all the page ever knows of a stored key. */
function fingerprintOf(last4) {
  const code = document.createElement("code");
  code.textContent = `••••${last4}`;
  code.setAttribute("aria-label", `key ending ${last4}`);
  return code;
}

function fill(el, ...parts) {
  el.replaceChildren(...parts.map((p) => (typeof p === "string" ? document.createTextNode(p) : p)));
}

/** The key's health in words (Integration.health), with what to do about it and who can. */
export function healthWords(integration, isAdmin) {
  const renew = isAdmin ? "renew it" : "an admin can renew it";
  switch (integration.health) {
    case "HEALTHY":
      return { text: "Working", tone: "ok" };
    case "EXPIRING_SOON":
      return { text: `Expires soon: ${renew} before it expires`, tone: "warn" };
    case "EXPIRED":
      return { text: `Expired: ${renew} with a new key`, tone: "bad" };
    case "REJECTED":
      return { text: `GitHub refused this key: ${renew}`, tone: "bad" };
    default:
      return { text: "Unknown", tone: "warn" };
  }
}

const TOKEN_TYPES = { FINE_GRAINED: "fine-grained key", CLASSIC: "classic key" };

const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * What the key reaches (Integration.reach), in words: real keys see less than they seem (a fine-grained key
 * one owner's granted repositories, a key awaiting approval public ones only, SSO organizations nothing).
 */
export function reachWords(reach) {
  if (!reach) return "Not read yet (it is read at the next renew, or within the hour of use)";
  const atLeast = reach.complete ? "" : "at least ";
  const repos = `${atLeast}${count(reach.repositories, "repository", "repositories")} (${reach.privateRepositories} private)`;
  return reach.owners.length ? `${repos} of ${reach.owners.join(", ")}` : repos;
}

export function renderCard(integration, isAdmin) {
  $("github-card").hidden = false;
  const badge = $("badge");
  $("not-connected").hidden = integration !== null;
  $("connected").hidden = integration === null;
  if (integration === null) {
    badge.textContent = "Not connected";
    badge.className = "badge badge-off";
    $("connect-form").hidden = !isAdmin;
    $("member-connect-note").hidden = isAdmin;
    $("renew-form").hidden = true;
    return;
  }
  const active = integration.status === "ACTIVE";
  badge.textContent = active ? "Active" : "Inactive";
  badge.className = `badge ${active ? "badge-on" : "badge-paused"}`;

  const fingerprint = fingerprintOf(integration.keyFingerprint);
  const kind = TOKEN_TYPES[integration.tokenType] ?? integration.tokenType;
  const scopes = integration.scopes.length ? `, scopes ${integration.scopes.join(", ")}` : "";
  fill($("fact-fingerprint"), fingerprint, ` (${kind}${scopes})`);

  const health = healthWords(integration, isAdmin);
  const healthText = document.createElement("span");
  healthText.className = `health health-${health.tone}`;
  healthText.textContent = health.text;
  fill($("fact-health"), healthText, ...(integration.keyRejectedAt ? [" (refused on ", timeElement(integration.keyRejectedAt), ")"] : []));

  fill($("fact-account"), integration.accountLogin);
  fill($("fact-reach"), reachWords(integration.reach));
  const advice = integration.reach?.advice ?? [];
  $("reach-advice").hidden = advice.length === 0;
  $("reach-advice").replaceChildren(...advice.map((text) => {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }));
  fill($("fact-registered"), timeElement(integration.registeredAt), ` by ${integration.registeredBy}`);
  fill($("fact-expires"), integration.expiresAt ? timeElement(integration.expiresAt, dayFormat) : "Never (GitHub reports no expiry)");
  fill($("fact-last-used"), integration.lastUsedAt ? timeElement(integration.lastUsedAt) : "Not yet");

  $("actions").hidden = !isAdmin;
  const toggle = $("toggle");
  toggle.textContent = active ? "Deactivate" : "Activate";
  toggle.dataset.active = String(active);
  if (!isAdmin) $("renew-form").hidden = true;
}

const ACTIONS = {
  CONNECTED: "Connected",
  RENEWED: "Renewed the key",
  DEACTIVATED: "Deactivated",
  ACTIVATED: "Activated",
  DISCONNECTED: "Disconnected",
  KEY_EXPIRING_SOON: "GitHub reports the key expires soon",
  KEY_REJECTED: "GitHub refused the key",
};

function cell(label, ...content) {
  const td = document.createElement("td");
  td.dataset.label = label;
  fill(td, ...content);
  return td;
}

/**
 * One page of events (`{ nodes, pageInfo }`, newest first, as the API answers); `page` counts from 0.
 * `null` hides the section (members never see it). Older is offered while the API says there is more.
 */
export function renderEvents(events, page = 0, pageSize = 10) {
  $("events").hidden = events === null;
  if (events === null) return;
  const nodes = events.nodes ?? [];
  const paged = page > 0 || Boolean(events.pageInfo?.hasNextPage);
  $("events-empty").hidden = nodes.length > 0;
  $("events-empty").textContent = page > 0 ? "No older events." : "Nothing has happened yet.";
  $("events-table").hidden = nodes.length === 0;
  $("events-pages").hidden = !paged;
  $("events-newer").disabled = page === 0;
  $("events-older").disabled = !events.pageInfo?.hasNextPage;
  const from = page * pageSize + 1;
  $("events-range").hidden = !paged || nodes.length === 0;
  $("events-range").textContent = `Events ${from} to ${from + nodes.length - 1}, newest first${page === 0 ? " (the newest)" : ""}.`;
  $("events-body").replaceChildren(
    ...nodes.map((e) => {
      const tr = document.createElement("tr");
      tr.append(
        cell("When", timeElement(e.at)),
        cell("What", ACTIONS[e.action] ?? e.action),
        cell("Who", e.actor),
        cell("Key", e.keyFingerprint ? fingerprintOf(e.keyFingerprint) : "—"),
      );
      return tr;
    }),
  );
}

export function hideWorkspace() {
  $("github-card").hidden = true;
  $("events").hidden = true;
}
