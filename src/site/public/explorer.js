// The GraphQL explorer: one form that POSTs JSON to this gateway's /graphql, and the answer as sent.
// Nothing here comes from anywhere else (the page's CSP allows only this gateway's files and /graphql).
// The caller token stays in this tab's session storage, like the admin page's: it survives a reload or a
// visit to the index page, never reaches another tab, local storage or a URL, and is gone with the tab.

const $ = (id) => document.getElementById(id);
const STORAGE_KEY = "connector-gateway.explorer-token";

/** The example operations by name, as /explorer/operations.json lists them. */
const operations = new Map();

function storeToken(token) {
  try {
    if (token) sessionStorage.setItem(STORAGE_KEY, token);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (a private mode): the field still holds the token for this page.
  }
}

function restoreToken() {
  try {
    $("token").value = sessionStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    $("token").value = "";
  }
}

async function loadOperations() {
  try {
    const res = await fetch("/explorer/operations.json", { credentials: "omit" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    for (const op of body.operations ?? []) {
      operations.set(op.name, op);
      const option = document.createElement("option");
      option.value = op.name;
      option.textContent = `${op.name} (${op.kind})`;
      $("operation").append(option);
    }
  } catch (error) {
    $("operation-hint").textContent = `The example operations could not be loaded (${error.message}); write a query below.`;
  }
}

function chooseOperation() {
  const op = operations.get($("operation").value);
  if (!op) return;
  $("query").value = op.text;
  $("variables").value = JSON.stringify(op.sampleVariables ?? {}, null, 2);
}

/** Shows what came back: the HTTP status, the first error's code when there is one, and the body pretty-printed. */
function show({ status, statusText, code, message, text, failed }) {
  const line = $("result-status");
  line.replaceChildren();
  if (status) {
    const http = document.createElement("span");
    http.id = "http-status";
    http.textContent = `HTTP ${status}${statusText ? ` ${statusText}` : ""}`;
    line.append(http);
  }
  if (code) {
    const label = document.createTextNode(`${status ? " · " : ""}error code `);
    const c = document.createElement("code");
    c.id = "error-code";
    c.textContent = code;
    line.append(label, c);
  }
  if (message) line.append(document.createTextNode(`${status || code ? ": " : ""}${message}`));
  line.className = `result-status ${failed ? "failed" : "ok"}`;
  $("answer").textContent = text ?? "";
  $("answer").hidden = !text;
  $("result").hidden = false;
}

function pretty(text) {
  try {
    return { body: JSON.parse(text), text: JSON.stringify(JSON.parse(text), null, 2) };
  } catch {
    return { body: null, text };
  }
}

async function send(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  const query = $("query").value;
  let variables;
  try {
    const raw = $("variables").value.trim();
    variables = raw ? JSON.parse(raw) : undefined;
    if (variables !== undefined && (variables === null || typeof variables !== "object" || Array.isArray(variables))) throw new Error("they must be one JSON object");
  } catch (error) {
    show({ message: `The variables are not valid JSON (${error.message}); nothing was sent.`, failed: true });
    $("variables").focus();
    return;
  }
  storeToken(token);

  const button = $("send");
  button.disabled = true;
  $("result").setAttribute("aria-busy", "true");
  try {
    let res;
    try {
      res = await fetch("/graphql", {
        method: "POST",
        // A JSON body passes Apollo's CSRF prevention; the token goes in the header, never in a URL.
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        credentials: "omit",
        cache: "no-store",
      });
    } catch {
      show({ message: "The gateway could not be reached; nothing came back.", failed: true });
      return;
    }
    const { body, text } = pretty(await res.text());
    const code = body?.errors?.[0]?.extensions?.code;
    show({
      status: res.status,
      statusText: res.statusText,
      code: typeof code === "string" ? code : undefined,
      message: body?.errors?.[0]?.message,
      text,
      failed: !res.ok || Boolean(body?.errors?.length),
    });
  } finally {
    button.disabled = false;
    $("result").setAttribute("aria-busy", "false");
  }
}

function sendOnCtrlEnter(event) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    $("explorer-form").requestSubmit();
  }
}

restoreToken();
$("operation").addEventListener("change", chooseOperation);
$("explorer-form").addEventListener("submit", send);
$("query").addEventListener("keydown", sendOnCtrlEnter);
$("variables").addEventListener("keydown", sendOnCtrlEnter);
await loadOperations();
