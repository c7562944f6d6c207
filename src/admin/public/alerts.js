// An error is shown beside the control that caused it, not at the top of the page: on a phone the top
// is off-screen by the time a form near the bottom is sent. Each place has an empty role="alert" region
// in the HTML (a live region that exists before it is filled is announced reliably); filling it, then
// focusing it, scrolls it into view and has a screen reader read it.
import { ApiError } from "./api.js";

const $ = (id) => document.getElementById(id);

/** Extensions that say nothing to a person, even under Details. */
const UNSHOWN = new Set(["code", "http", "stacktrace", "exception"]);

function paragraph(...parts) {
  const p = document.createElement("p");
  for (const part of parts) p.append(part);
  return p;
}

function code(text) {
  const c = document.createElement("code");
  c.textContent = text;
  return c;
}

const shown = (value) => (Array.isArray(value) ? value.join(", ") : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));

/** What is under "Details": the code, the gateway's own sentence where the headline is not it, and the extensions. */
function details(error) {
  const d = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Details";
  d.append(summary);
  if (error.code) {
    const c = code(error.code);
    c.className = "error-code";
    d.append(paragraph("Code: ", c));
  } else {
    d.append(paragraph("Refused by this page; nothing was sent to the gateway."));
  }
  if (error.detail && error.detail !== error.message) d.append(paragraph("The gateway said: ", error.detail));
  for (const [key, value] of Object.entries(error.extensions ?? {})) {
    if (!UNSHOWN.has(key) && value !== undefined && value !== null) d.append(paragraph(code(key), `: ${shown(value)}`));
  }
  return d;
}

export function asApiError(error) {
  return error instanceof ApiError ? error : new ApiError("UNKNOWN", String(error?.message ?? error));
}

/** Inside something hidden (a form the card no longer shows, the card after sign-out): nobody would see it. */
export const isShown = (el) => !el.closest("[hidden]");

/**
 * Fills the alert region `id` with the error: the headline, then `next` (what to do now, where the page
 * knows), then the Details. Focuses it, so it scrolls into view and is read out.
 */
export function showAlert(id, error, next = "") {
  const e = asApiError(error);
  const region = $(id);
  const headline = paragraph(e.message);
  headline.className = "error-headline";
  region.replaceChildren(headline, ...(next ? [paragraph(next)] : []), details(e));
  region.focus({ preventScroll: true });
  region.scrollIntoView({ block: "nearest" });
}

export function clearAlerts() {
  for (const region of document.querySelectorAll(".error[role=alert]")) region.replaceChildren();
}
