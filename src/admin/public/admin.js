// The integrations page: sign in with a caller token, then the GitHub card. Keys typed here live in
// their password field until submit, then only in the one request that carries them: the field is
// cleared at once and the key is never stored, logged or shown (the card shows its last 4 characters).
import { ApiError, createApi } from "./api.js";
import { hideWorkspace, renderCard, renderEvents } from "./card.js";

const $ = (id) => document.getElementById(id);
const STORAGE_KEY = "connector-gateway.caller-token";

let api = null;
let isAdmin = false;
/** The card as last loaded: null when not connected, undefined before the first load. */
let current;

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

function say(message) {
  $("status").textContent = message;
}

function showError(error) {
  const e = error instanceof ApiError ? error : new ApiError("UNKNOWN", String(error?.message ?? error));
  $("error-message").textContent = e.message;
  $("error-code").textContent = e.code;
  $("error-detail").textContent = e.detail || "";
  $("error-detail").hidden = !e.detail;
  $("error").hidden = false;
  say("");
}

function clearMessages() {
  $("error").hidden = true;
  say("");
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

async function reload() {
  const { integration, events, eventsError } = await api.load(isAdmin);
  current = integration;
  renderCard(integration, isAdmin);
  renderEvents(isAdmin && !eventsError ? events ?? [] : null);
  if (eventsError) showError(eventsError);
}

/**
 * Runs one action; on error shows it in words and, where the card may be stale, reloads it. Resolves
 * true on success, once the controls are enabled again (focus can only go to an enabled control).
 */
async function act(work) {
  clearMessages();
  try {
    await busy(work);
    return true;
  } catch (e) {
    showError(e);
    if (e instanceof ApiError && e.code === "UNAUTHENTICATED") return signOut(false);
    if (e instanceof ApiError && ["INTEGRATION_NOT_CONNECTED", "INTEGRATION_ALREADY_CONNECTED", "CONFLICT"].includes(e.code)) {
      await reload().catch(() => undefined);
    }
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

function wire() {
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = takeKey($("caller-token"));
    if (!token) return showError(new ApiError("UNAUTHENTICATED", "No token was pasted."));
    sessionStorage.setItem(STORAGE_KEY, token);
    void signIn(token);
  });
  $("sign-out").addEventListener("click", () => signOut(true));

  $("connect-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = takeKey($("connect-key"));
    if (!key) return showError(new ApiError("BAD_USER_INPUT", "Paste a GitHub key first."));
    void act(async () => {
      const integration = await api.connect(key);
      await reload();
      say(`Connected: ${describe(integration)}.`);
    }).then((ok) => (ok ? $("card-title") : $("connect-key")).focus());
  });

  $("renew-open").addEventListener("click", () => openRenew(true));
  $("renew-cancel").addEventListener("click", () => {
    $("renew-key").value = "";
    openRenew(false);
  });
  $("renew-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = takeKey($("renew-key"));
    if (!key) return showError(new ApiError("BAD_USER_INPUT", "Paste the new GitHub key first."));
    void act(async () => {
      const integration = await api.renew(key);
      await reload();
      say(`Renewed: the gateway now uses the key ending ${integration.keyFingerprint}.`);
    }).then((ok) => (ok ? openRenew(false) : $("renew-key").focus()));
  });

  $("toggle").addEventListener("click", () => {
    const activate = $("toggle").dataset.active !== "true";
    void act(async () => {
      await api.toggle(activate);
      await reload();
      say(activate ? "Activated: the assistant and the app builder can use GitHub again." : "Deactivated: the key stays stored, and nothing uses it until you activate it.");
    }).then((ok) => ok && $("toggle").focus());
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
    }).then((ok) => ok && $("card-title").focus());
  });
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
    showError(e);
    if (e instanceof ApiError && e.code === "UNAUTHENTICATED") signOut(false);
  }
}

function signOut(clear) {
  sessionStorage.removeItem(STORAGE_KEY);
  api = null;
  isAdmin = false;
  current = undefined;
  hideWorkspace();
  $("session").hidden = true;
  $("sign-in").hidden = false;
  if (clear) clearMessages();
  $("caller-token").focus();
}

wire();
const saved = sessionStorage.getItem(STORAGE_KEY);
if (saved) void signIn(saved);
else signOut(false);
