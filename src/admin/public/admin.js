// The integrations page: sign in with a caller token, then the GitHub card. Keys typed here live in
// their password field until submit, then only in the one request that carries them: the field is
// cleared at once and the key is never stored, logged or shown (the card shows its last 4 characters).
import { asApiError, clearAlerts, isShown, showAlert } from "./alerts.js";
import { createApi, EVENTS_PAGE_SIZE, pageError } from "./api.js";
import { hideWorkspace, renderCard, renderEvents } from "./card.js";

const $ = (id) => document.getElementById(id);
const STORAGE_KEY = "connector-gateway.caller-token";

/**
 * Said beside a failed connect or renew. The field was emptied on submit, success or not: a key GitHub
 * refused may still be a live key (one missing a scope is), and it must not sit in the page meanwhile.
 */
const PASTE_AGAIN = "The key field was emptied so that the key does not stay in this page: paste the key again to retry.";

let api = null;
let isAdmin = false;
/** The card as last loaded: null when not connected, undefined before the first load. */
let current;
/**
 * Events paging: the API pages forward only (`after`), so the page keeps the cursor of every page it
 * has reached, [null] being the newest page; that is what makes "Newer events" possible.
 */
let eventCursors = [null];
let eventsIndex = 0;

/** The JWT's claims, for showing who is signed in. Not verified here: the server decides everything. */
export function claimsOf(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json);
    return claims && typeof claims === "object" ? claims : null;
  } catch {
    return null;
  }
}

/**
 * This page is for people. A `service` token is the assistant's or the app builder's: signing in with
 * it would show the page as if a person were acting (and the gateway would still refuse the admin
 * calls). The gateway authorizes every call whatever the page does; this is only the page's rule.
 */
function signInRefusal(claims) {
  if (claims?.role !== "service") return null;
  return pageError(
    "This is a service token: it belongs to the assistant or the app builder, not to a person. Sign in with your own admin or member token (for example from npm run token -- --role admin).",
    { role: "service" },
  );
}

function say(message) {
  $("status").textContent = message;
}

function clearMessages() {
  clearAlerts();
  say("");
}

/** Shows an error in the alert region `id`, or at the top of the page when that region is not on screen. */
function showError(id, error, next = "") {
  clearMessages();
  const visible = isShown($(id));
  showAlert(visible ? id : "page-error", error, visible ? next : "");
}

/** A refused sign-in token ends the session: the error goes beside the sign-in field. Else shown at `id`. */
function showFailure(id, e, next = "") {
  const error = asApiError(e);
  if (error.code === "UNAUTHENTICATED") {
    signOut(false);
    showError("sign-in-error", error);
  } else {
    showError(id, error, next);
  }
}

/** Disables the card's controls while a request is in flight, so nothing is sent twice. */
async function busy(work) {
  const card = $("github-card");
  card.setAttribute("aria-busy", "true");
  const controls = [...card.querySelectorAll("button, input")];
  for (const c of controls) c.disabled = true;
  try {
    return await work();
  } finally {
    for (const c of controls) c.disabled = false;
    card.setAttribute("aria-busy", "false");
  }
}

/** The card and the newest events: after any change, the newest page is where the change shows. */
async function reload() {
  const { integration, events, eventsError } = await api.load(isAdmin);
  current = integration;
  eventCursors = events?.pageInfo?.hasNextPage ? [null, events.pageInfo.endCursor] : [null];
  eventsIndex = 0;
  renderCard(integration, isAdmin);
  renderEvents(isAdmin && !eventsError ? events ?? { nodes: [], pageInfo: { hasNextPage: false } } : null, 0, EVENTS_PAGE_SIZE);
  if (eventsError) showError("page-error", eventsError);
}

/** Codes after which the card on screen may be stale. */
const STALE = ["INTEGRATION_NOT_CONNECTED", "INTEGRATION_ALREADY_CONNECTED", "CONFLICT"];

/**
 * Runs one action; on error shows it in words in the alert region `where` (beside the control that
 * caused it) and, where the card may be stale, reloads it first. Resolves true on success, once the
 * controls are enabled again (focus can only go to an enabled control).
 */
async function act(work, where, next = "") {
  clearMessages();
  try {
    await busy(work);
    return true;
  } catch (e) {
    if (STALE.includes(e?.code)) await reload().catch(() => undefined);
    showFailure(where, e, next);
    return false;
  }
}

/** Takes the key out of its field before anything else happens, so it is never left behind. */
function takeKey(input) {
  const key = input.value.trim();
  input.value = "";
  return key;
}

function describe(integration) {
  return `GitHub account ${integration.accountLogin}, key ending ${integration.keyFingerprint}`;
}

/** Shows the events page `index` (0 is the newest), then focuses the pager button still enabled. */
async function showEventsPage(index, pressed) {
  const section = $("events");
  const [newer, older] = [$("events-newer"), $("events-older")];
  section.setAttribute("aria-busy", "true");
  newer.disabled = older.disabled = true;
  clearMessages();
  try {
    const page = await api.events(eventCursors[index]);
    eventCursors = eventCursors.slice(0, index + 1);
    if (page.pageInfo.hasNextPage) eventCursors.push(page.pageInfo.endCursor);
    eventsIndex = index;
    renderEvents(page, index, EVENTS_PAGE_SIZE);
  } catch (e) {
    // The page on screen is still the one it was: give its buttons back.
    newer.disabled = eventsIndex === 0;
    older.disabled = eventCursors.length <= eventsIndex + 1;
    showFailure("events-error", e);
    return;
  } finally {
    section.setAttribute("aria-busy", "false");
  }
  (pressed.disabled ? (pressed === older ? newer : older) : pressed).focus();
}

function wire() {
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = takeKey($("caller-token"));
    if (!token) return showError("sign-in-error", pageError("No token was pasted: paste your caller token, then sign in."));
    const refusal = signInRefusal(claimsOf(token));
    if (refusal) return showError("sign-in-error", refusal);
    sessionStorage.setItem(STORAGE_KEY, token);
    void signIn(token);
  });
  $("sign-out").addEventListener("click", () => signOut(true));

  $("connect-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = takeKey($("connect-key"));
    if (!key) return showError("connect-error", pageError("Paste a GitHub key first."));
    void act(async () => {
      const integration = await api.connect(key);
      await reload();
      say(`Connected: ${describe(integration)}.`);
    }, "connect-error", PASTE_AGAIN).then((ok) => ok && $("card-title").focus());
  });

  $("renew-open").addEventListener("click", () => openRenew(true));
  $("renew-cancel").addEventListener("click", () => {
    $("renew-key").value = "";
    clearMessages();
    openRenew(false);
  });
  $("renew-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = takeKey($("renew-key"));
    if (!key) return showError("renew-error", pageError("Paste the new GitHub key first."));
    void act(async () => {
      const integration = await api.renew(key);
      await reload();
      say(`Renewed: the gateway now uses the key ending ${integration.keyFingerprint}.`);
    }, "renew-error", PASTE_AGAIN).then((ok) => ok && openRenew(false));
  });

  $("toggle").addEventListener("click", () => {
    const activate = $("toggle").dataset.active !== "true";
    void act(async () => {
      await api.toggle(activate);
      await reload();
      say(activate ? "Activated: the assistant and the app builder can use GitHub again." : "Deactivated: the key stays stored, and nothing uses it until you activate it.");
    }, "actions-error").then((ok) => ok && $("toggle").focus());
  });

  const dialog = $("disconnect-dialog");
  $("disconnect-open").addEventListener("click", () => {
    dialog.showModal();
    $("disconnect-cancel").focus();
  });
  $("disconnect-cancel").addEventListener("click", () => dialog.close("cancel"));
  $("disconnect-confirm").addEventListener("click", () => dialog.close("confirm"));
  dialog.addEventListener("close", () => {
    if (dialog.returnValue !== "confirm") {
      $("disconnect-open").focus();
      return;
    }
    dialog.returnValue = "";
    void act(async () => {
      await api.disconnect();
      await reload();
      say("Disconnected: the stored key is deleted. Remember to revoke it on GitHub too.");
    }, "actions-error").then((ok) => ok && $("card-title").focus());
  });

  $("events-older").addEventListener("click", () => void showEventsPage(eventsIndex + 1, $("events-older")));
  $("events-newer").addEventListener("click", () => void showEventsPage(eventsIndex - 1, $("events-newer")));
}

function openRenew(open) {
  $("renew-form").hidden = !open;
  $("renew-open").setAttribute("aria-expanded", String(open));
  if (open) $("renew-key").focus();
  else if (current) $("renew-open").focus();
}

async function signIn(token) {
  const claims = claimsOf(token);
  isAdmin = claims?.role === "admin";
  api = createApi(token);
  $("sign-in").hidden = true;
  $("session").hidden = false;
  const who = claims ? `${claims.sub ?? "someone"} (${claims.role ?? "no role"}) in workspace ${claims.tenant ?? "?"}` : "an unreadable token";
  $("session-who").textContent = `Signed in as ${who}`;
  clearMessages();
  try {
    await reload();
  } catch (e) {
    showFailure("page-error", e);
  }
}

function signOut(clear) {
  sessionStorage.removeItem(STORAGE_KEY);
  api = null;
  isAdmin = false;
  current = undefined;
  eventCursors = [null];
  eventsIndex = 0;
  hideWorkspace();
  $("session").hidden = true;
  $("sign-in").hidden = false;
  if (clear) clearMessages();
  $("caller-token").focus();
}

wire();
const saved = sessionStorage.getItem(STORAGE_KEY);
// A token saved before this page refused service tokens is dropped, not used.
if (saved && !signInRefusal(claimsOf(saved))) void signIn(saved);
else signOut(false);
