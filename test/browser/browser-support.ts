import { request } from "node:http";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium (`.ci/run` installs it); Playwright's own download cannot run on these machines. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Headless, as root in a sandbox-less container, and quiet: without the background-networking flags
 * Chromium keeps dialling Google's hosts, which this machine's closed network refuses.
 */
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const ARTIFACTS = join(__dirname, "..", "..", "test-artifacts", "admin");

export const LAUNCH_TIMEOUT_MS = 30_000;

interface Closable {
  close(): Promise<void>;
}

/**
 * Starts several things side by side (the gateway and the browser take seconds each). When one fails,
 * the others are awaited and closed before this throws, in one line naming each failure: a gateway left
 * running keeps Jest from ever exiting, and its test database would be left behind.
 */
export async function startTogether<T extends Record<string, Closable>>(starts: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const names = Object.keys(starts) as (keyof T & string)[];
  const settled = await Promise.allSettled(names.map((n) => starts[n]));
  const failures = settled.flatMap((r, i) => (r.status === "rejected" ? [`${names[i]}: ${firstLine(r.reason)}`] : []));
  if (failures.length === 0) return Object.fromEntries(names.map((n, i) => [n, (settled[i] as PromiseFulfilledResult<Closable>).value])) as T;
  await Promise.allSettled(settled.flatMap((r) => (r.status === "fulfilled" ? [r.value.close()] : [])));
  throw oneLineError(`Could not start the admin page test: ${failures.join("; ")}`);
}

const INSTALL = "install it with `apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium binary";

/** The first line of what went wrong: Playwright's launch errors run to a screenful of call log. */
export const firstLine = (e: unknown) => String(e instanceof Error ? e.message : e).split("\n")[0].trim();

/** An error that Jest prints as its one line, without a stack that would only point at this helper. */
export function oneLineError(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}

export interface PhoneBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A phone-sized browser with a fresh, throw-away profile. Fails in one line saying what to install,
 * within `LAUNCH_TIMEOUT_MS`: sooner than Jest gives up on a beforeAll, so the test can still clean up.
 * (A missing binary is found before any test starts, by test/support/prerequisites.ts; this covers one
 * that is there but does not start.)
 */
export async function launchPhoneBrowser(): Promise<PhoneBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "cg-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 375, height: 812 },
      locale: "en-US",
      timezoneId: "UTC",
      timeout: LAUNCH_TIMEOUT_MS,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw oneLineError(`Chromium at ${CHROMIUM} did not start (${firstLine(e)}): ${INSTALL}.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did that a test wants to look at afterwards. */
export interface PageRecord {
  urls: string[];
  /** GraphQL documents the page sent (the query text only; variables may hold a key). */
  queries: string[];
  problems: string[];
}

export function record(page: Page): PageRecord {
  const rec: PageRecord = { urls: [], queries: [], problems: [] };
  page.on("request", (r) => {
    rec.urls.push(r.url());
    const body = r.postData();
    if (body) rec.queries.push(String((JSON.parse(body) as { query?: unknown }).query));
  });
  // A CSP violation, a failed module or a script error all show up here.
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") rec.problems.push(m.text());
  });
  page.on("pageerror", (e) => rec.problems.push(e.message));
  return rec;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Browser-side checks are written as expressions: the project's TypeScript has no DOM library, and the
// gateway's code should not get one for the sake of the tests.

/** True when nothing sticks out sideways: the page reads on a 375 px screen without scrolling across. */
export const fitsWidth = (page: Page) => page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth");

export const activeId = (page: Page) => page.evaluate<string>("document.activeElement ? document.activeElement.id : ''");

/** What the tab keeps in its storage, all of it, as one string. */
export const storedText = (page: Page) => page.evaluate<string>("JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })");

export const storageSizes = (page: Page) => page.evaluate<number[]>("[sessionStorage.length, localStorage.length]");

/** The visible controls, and those without an accessible name (a <label> for fields, text or aria-label for buttons). */
export const controlLabels = (page: Page) =>
  page.evaluate<{ visible: number; unlabelled: string[] }>(`(() => {
    const visible = [...document.querySelectorAll("input, button, select, textarea")].filter((el) => el.offsetParent !== null || el.closest("dialog[open]"));
    const unlabelled = visible.filter((el) => el.tagName === "BUTTON" ? !el.textContent.trim() && !el.getAttribute("aria-label") : el.labels.length === 0);
    return { visible: visible.length, unlabelled: unlabelled.map((el) => el.outerHTML) };
  })()`);

/** The events table's times as [text, datetime] pairs, newest first. */
export const eventTimes = (page: Page) =>
  page.evaluate<string[][]>(`[...document.querySelectorAll("#events-body time")].map((t) => [t.textContent, t.dateTime])`);

/** The events table as [what, who, key] rows, newest first (the "When" column is the clock's). */
export const eventRows = (page: Page) =>
  page.evaluate<string[][]>(`[...document.querySelectorAll("#events-body tr")].map((tr) => [...tr.querySelectorAll("td")].slice(1).map((td) => td.textContent))`);

/** A GET with the path exactly as written: fetch() would resolve `..` and `%2e%2e` before sending. */
export function rawGet(url: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const path = url.slice(u.origin.length);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
