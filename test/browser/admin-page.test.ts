import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { seedSampleData } from "../../github-emulator";
import { classicKey, fineGrainedKey } from "../support/keys";
import { codeOf, startHarness, type Harness } from "../support/harness";
import { Card, Events, Toggle, Viewer, type CardShape, type EventShape } from "../support/operations";
import {
  activeId, ARTIFACTS, controlLabels, eventRows, eventTimes, fitsWidth, launchPhoneBrowser, rawGet, record, shot, startTogether, storageSizes, storedText,
  type PageRecord, type PhoneBrowser,
} from "./browser-support";

const DAY = 86_400_000;
const first = fineGrainedKey("mona", { resourceOwner: "acme", expiresAt: new Date(Date.now() + 90 * DAY) });
const soon = classicKey("mona", { expiresAt: new Date(Date.now() + 3 * DAY) });
const unknown = classicKey("nobody"); // never registered with the emulator: GitHub answers 401
const keys = [first.token, soon.token, unknown.token];

/** An event's time as the page must show it in the test browser's zone (UTC): to the second, zone named. */
const WHEN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;
const utcText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
/** The page's events page size (src/admin/public/api.js, EVENTS_PAGE_SIZE). */
const PAGE = 10;
const ACTION_WORDS: Record<string, string> = {
  CONNECTED: "Connected", RENEWED: "Renewed the key", DEACTIVATED: "Deactivated", ACTIVATED: "Activated", DISCONNECTED: "Disconnected",
  KEY_EXPIRING_SOON: "GitHub reports the key expires soon", KEY_REJECTED: "GitHub refused the key",
};
const rowsOf = (events: EventShape[]) => events.map((e) => [ACTION_WORDS[e.action], e.actor, e.keyFingerprint ? `••••${e.keyFingerprint}` : "—"]);

/**
 * The integrations page in Debian's Chromium against a real gateway and the GitHub emulator. The steps
 * run in order on one admin tab, as one person would use the card; each ends with a screenshot in
 * test-artifacts/admin/ and at least one check through the API that the page really did it.
 */
describe("the integrations page at /admin", () => {
  let h: Harness;
  let browser: PhoneBrowser;
  let started: Promise<{ gateway: Harness; browser: PhoneBrowser }> | undefined;
  let page: Page;
  let rec: PageRecord;
  let admin: string;
  const card = async () => (await h.gql<{ integration: (CardShape & { health: string }) | null }>(admin, Card.replace("lastUsedAt", "lastUsedAt health"))).body.data?.integration;
  const status = (text: string | RegExp) => page.locator("#status", { hasText: text }).waitFor();
  const text = (selector: string) => page.locator(selector).innerText();

  beforeAll(async () => {
    // Side by side for speed; when one fails, startTogether closes the other (and drops the test database).
    started = startTogether({ gateway: startHarness({ database: "postgres", keys: [first, soon] }), browser: launchPhoneBrowser() });
    ({ gateway: h, browser } = await started);
    seedSampleData(h.emulator.store);
    admin = await h.token("acme", "admin", "alice");
    // A step that cannot happen fails in seconds naming its locator, not at Jest's 30 s with no clue.
    browser.context.setDefaultTimeout(15_000);
    page = await browser.context.newPage();
    rec = record(page);
  }, 60_000);
  afterAll(async () => {
    // Awaits the start itself, not h and browser: should Jest give up on beforeAll first, what starts late is still closed.
    const both = await started?.catch(() => undefined);
    await Promise.allSettled([both?.browser.close(), both?.gateway.close()]);
  });

  test("is served with a strict Content-Security-Policy and no caching, and nothing else under /admin", async () => {
    const res = await fetch(`${h.gateway.url}/admin`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'self'.*script-src 'self'/);
    expect(res.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/<style|\sstyle=|https?:\/\/(?!github\.com\/settings)/); // no inline style, no other origin but GitHub's links
    const script = await fetch(`${h.gateway.url}/admin/admin.js`);
    expect(script.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
    // Sent as written (fetch would resolve the dots itself): nothing outside src/admin/public is served.
    for (const path of ["/admin/nope.js", "/admin/%2e%2e/admin-routes.ts", "/admin/..%2f..%2f..%2fpackage.json", "/admin/../admin/admin-routes.ts"]) {
      const r = await rawGet(`${h.gateway.url}${path}`);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toMatch(/adminRouter|connector-gateway/);
    }
  });

  test("an admin signs in with a pasted token and sees the Connect form with the steps", async () => {
    await page.goto(`${h.gateway.url}/admin`);
    expect(await activeId(page)).toBe("caller-token");
    await page.getByLabel("Caller token (JWT)").fill(admin);
    await page.keyboard.press("Enter");
    await page.locator("#badge", { hasText: "Not connected" }).waitFor();
    expect(await text("#session-who")).toBe("Signed in as alice (admin) in workspace acme");
    expect(await storageSizes(page)).toEqual([1, 0]);
    expect(await page.getByLabel("Caller token (JWT)").inputValue()).toBe("");
    expect(await page.getByLabel("GitHub key (personal access token)").getAttribute("type")).toBe("password");
    expect(await page.getByRole("link", { name: "fine-grained token page" }).getAttribute("href")).toBe("https://github.com/settings/personal-access-tokens/new");
    const steps = await text(".steps");
    for (const p of ["Issues\tRead and write", "Pull requests\tRead and write", "Contents\tRead-only", "Metadata\tRead-only", "repo scope"]) expect(steps).toContain(p);
    expect(await controlLabels(page)).toEqual({ visible: 3, unlabelled: [] }); // sign out, the key, Connect
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, "01-not-connected");
  });

  test("a wrong key: the gateway's reason in words beside the Connect form, the code under Details, and nothing stored", async () => {
    // Not a personal access token at all: BAD_USER_INPUT, whose reason is the gateway's message, not a generic sentence.
    await page.getByLabel("GitHub key (personal access token)").fill("not-a-github-key");
    await page.keyboard.press("Enter");
    const shape = page.locator("#connect-form").getByRole("alert").filter({ hasText: "not a GitHub personal access token" });
    await shape.waitFor();
    expect(await shape.locator(".error-headline").innerText()).toBe("This is not a GitHub personal access token: it should start with github_pat_ (fine-grained) or ghp_ (classic).");
    expect(await shape.innerText()).not.toContain("could not accept what was sent");
    await shape.getByText("Details").click();
    expect(await shape.locator("details").innerText()).toMatch(/Code: BAD_USER_INPUT\s+field: token/);

    // A well-formed key GitHub does not know: GitHub's refusal.
    await page.getByLabel("GitHub key (personal access token)").fill(unknown.token);
    await page.keyboard.press("Enter");
    const alert = page.locator("#connect-form").getByRole("alert").filter({ hasText: "GitHub rejected" });
    await alert.waitFor();
    expect(await page.getByRole("alert").count()).toBe(1); // beside the form, and nowhere else
    expect(await alert.locator(".error-headline").innerText()).toMatch(/^GitHub rejected this key \(Bad credentials\): check that it was copied whole/);
    expect(await alert.innerText()).toContain("paste the key again");
    expect(await page.getByLabel("GitHub key (personal access token)").inputValue()).toBe(""); // cleared on submit
    expect(await activeId(page)).toBe("connect-error"); // focused, so it is in view and read out
    expect(await alert.locator(".error-code").isVisible()).toBe(false); // the code is one click away
    await alert.getByText("Details").click();
    expect(await alert.locator(".error-code").innerText()).toBe("GITHUB_TOKEN_REJECTED");
    expect(await card()).toBeNull();
    expect(await page.content()).not.toContain(unknown.token);
    await shot(page, "02-key-refused");
  });

  test("connect: the Active badge, the fingerprint, the account, the date, the health; the key is nowhere in the page", async () => {
    await page.getByLabel("GitHub key (personal access token)").fill(first.token);
    await page.getByRole("button", { name: "Connect" }).click();
    await status("Connected");
    expect(await page.getByRole("alert").isVisible()).toBe(false);
    const api = await card();
    expect(api).toMatchObject({ status: "ACTIVE", keyFingerprint: first.token.slice(-4), accountLogin: "mona", registeredBy: "alice", health: "HEALTHY" });
    expect(await text("#badge")).toBe("Active");
    expect(await text("#fact-fingerprint")).toContain(`••••${first.token.slice(-4)}`);
    expect(await text("#fact-account")).toBe("mona");
    // What the key reaches: acme's repositories it was granted and the public ones (webshop, api; docs, dotfiles).
    expect(await text("#fact-reach")).toBe("4 repositories (2 private) of acme, mona");
    expect(await page.locator("#reach-advice").isVisible()).toBe(false);
    expect(await page.locator("#fact-registered time").getAttribute("datetime")).toBe(api!.registeredAt);
    expect(await text("#fact-registered")).toBe(`${utcText(api!.registeredAt)} by alice`);
    expect(await page.locator("#fact-expires time").getAttribute("datetime")).toBe(api!.expiresAt);
    expect(await text("#fact-health")).toBe("Working");
    expect(await eventRows(page)).toEqual([["Connected", "alice", `••••${first.token.slice(-4)}`]]);
    const [[when, at]] = await eventTimes(page);
    expect(when).toMatch(WHEN);
    expect(when).toBe(utcText(at));
    expect(await page.locator("#events-pages").isVisible()).toBe(false); // one page: no paging
    expect(await activeId(page)).toBe("card-title");
    // The key: not in the HTML, not in a field, not in storage; the tab's storage holds the caller token only.
    expect(await page.content()).not.toContain(first.token);
    expect(await page.content()).not.toContain(first.token.slice(0, -4));
    expect(await storedText(page)).not.toContain(first.token.slice(0, 12));
    expect(await controlLabels(page)).toEqual({ visible: 4, unlabelled: [] }); // sign out, renew, deactivate, disconnect
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, "03-connected");
    if (process.env.ADMIN_DOCS_SCREENSHOT) {
      mkdirSync(join(__dirname, "..", "..", "docs"), { recursive: true });
      copyFileSync(join(ARTIFACTS, "03-connected.png"), join(__dirname, "..", "..", "docs", "admin-card.png"));
    }
  });

  test("deactivate, then activate, from the keyboard", async () => {
    await page.getByRole("button", { name: "Deactivate" }).focus();
    await page.keyboard.press("Space");
    await status("Deactivated");
    expect(await text("#badge")).toBe("Inactive");
    expect((await card())?.status).toBe("INACTIVE");
    expect(await activeId(page)).toBe("toggle");
    expect(await text("#toggle")).toBe("Activate");
    await shot(page, "04-inactive");

    await page.keyboard.press("Enter");
    await status("Activated");
    expect(await text("#badge")).toBe("Active");
    expect((await card())?.status).toBe("ACTIVE");
    expect((await eventRows(page)).slice(0, 2)).toEqual([["Activated", "alice", `••••${first.token.slice(-4)}`], ["Deactivated", "alice", `••••${first.token.slice(-4)}`]]);
  });

  test("a key GitHub has stopped accepting shows as refused on the card", async () => {
    h.emulator.removeKey(first.token); // revoked on GitHub
    const admin2 = await h.token("acme", "admin", "alice");
    expect((await h.gql(admin2, Viewer)).body.errors?.[0]?.extensions?.code).toBe("GITHUB_TOKEN_REJECTED");
    await page.reload();
    await page.locator("#fact-health", { hasText: "refused" }).waitFor();
    expect(await text("#fact-health")).toMatch(/^GitHub refused this key: renew it/);
    expect((await eventRows(page))[0]).toEqual(["GitHub refused the key", "github", `••••${first.token.slice(-4)}`]);
    await shot(page, "05-key-refused-by-github");
  });

  test("a refused renew on a phone: the reason beside the renew form and in view, the code under Details, the key asked for again", async () => {
    const viewport = page.viewportSize()!;
    expect(viewport.width).toBe(375);
    await page.getByRole("button", { name: "Renew" }).click();
    await page.getByLabel("New GitHub key").fill(unknown.token);
    await page.getByRole("button", { name: "Renew key" }).click();
    const alert = page.locator("#renew-form").getByRole("alert");
    await alert.waitFor();
    expect(await page.getByRole("alert").count()).toBe(1);
    expect(await alert.locator(".error-headline").innerText()).toMatch(/^GitHub rejected this key \(Bad credentials\)/);
    expect(await alert.innerText()).not.toContain("could not accept what was sent");
    expect(await alert.innerText()).toContain("paste the key again");
    expect(await activeId(page)).toBe("renew-error");
    // In view on the phone, while the top of the page (where errors used to appear) is scrolled away.
    const box = (await alert.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    const top = (await page.locator("h1").boundingBox())!;
    expect(top.y + top.height).toBeLessThan(0);
    expect(await alert.locator(".error-code").isVisible()).toBe(false);
    await alert.getByText("Details").click();
    expect(await alert.locator(".error-code").innerText()).toBe("GITHUB_TOKEN_REJECTED");
    expect(await page.getByLabel("New GitHub key").inputValue()).toBe("");
    expect(await page.locator("#renew-form").isVisible()).toBe(true); // still there to paste again
    expect(await page.content()).not.toContain(unknown.token);
    expect((await card())?.keyFingerprint).toBe(first.token.slice(-4));
    await shot(page, "05b-renew-key-refused");

    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await page.locator("#renew-form").isVisible()).toBe(false);
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await activeId(page)).toBe("renew-open");
  });

  test("renew, by keyboard: a warning, a new fingerprint, and a key that expires in 3 days shows 'expires soon'", async () => {
    await page.locator("#card-title").focus();
    await page.keyboard.press("Tab");
    expect(await activeId(page)).toBe("renew-open");
    await page.keyboard.press("Enter");
    expect(await activeId(page)).toBe("renew-key");
    expect(await text("#renew-warning")).toContain("The old key stops working at once");
    await shot(page, "06-renew-form");
    await page.keyboard.type(soon.token);
    await page.keyboard.press("Enter");
    await status("Renewed");
    expect(await page.locator("#renew-form").isVisible()).toBe(false);
    expect(await activeId(page)).toBe("renew-open");
    expect(await text("#fact-fingerprint")).toContain(`••••${soon.token.slice(-4)}`);
    expect(await text("#fact-health")).toMatch(/^Expires soon/);
    expect(await card()).toMatchObject({ keyFingerprint: soon.token.slice(-4), health: "EXPIRING_SOON", tokenType: "CLASSIC" });
    expect(h.emulator.requests.some((r) => r.token === soon.token)).toBe(true); // checked with GitHub
    expect((await eventRows(page)).slice(0, 2)).toEqual([
      ["GitHub reports the key expires soon", "github", `••••${soon.token.slice(-4)}`],
      ["Renewed the key", "alice", `••••${soon.token.slice(-4)}`],
    ]);
    expect(await page.content()).not.toContain(soon.token);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, "07-renewed-expires-soon");
  });

  test("a service token and a token the gateway did not sign are refused in words; a member sees the card without the actions and never asks for the events", async () => {
    const member = await browser.context.newPage();
    const memberRec = record(member);
    await member.goto(`${h.gateway.url}/admin`);
    // A service token is the assistant's or the app builder's, not a person's: refused before anything is sent.
    await member.getByLabel("Caller token (JWT)").fill(await h.token("acme", "service", "assistant"));
    await member.keyboard.press("Enter");
    const refusal = member.locator("#sign-in-form").getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.locator(".error-headline").innerText()).toMatch(/^This is a service token: it belongs to the assistant or the app builder, not to a person\./);
    expect(await storageSizes(member)).toEqual([0, 0]);
    expect(memberRec.queries).toEqual([]);
    expect(await member.locator("#session").isVisible()).toBe(false);
    expect(await member.locator("#github-card").isVisible()).toBe(false);
    expect(await member.getByLabel("Caller token (JWT)").inputValue()).toBe("");

    // A token this gateway did not sign: refused in words, and the tab forgets it.
    const forged = `${(await h.token("acme", "member", "mallory")).slice(0, -4)}AAAA`;
    await member.getByLabel("Caller token (JWT)").fill(forged);
    await member.keyboard.press("Enter");
    const unsigned = member.locator("#sign-in-error", { hasText: "Your sign-in token" });
    await unsigned.waitFor();
    expect(await unsigned.locator(".error-headline").innerText()).toMatch(/^Your sign-in token is missing, expired or not one this gateway issued/);
    expect(await unsigned.locator(".error-code").textContent()).toBe("UNAUTHENTICATED");
    expect(await storageSizes(member)).toEqual([0, 0]);
    expect(await member.locator("#github-card").isVisible()).toBe(false);

    await member.getByLabel("Caller token (JWT)").fill(await h.token("acme", "member", "bob"));
    await member.getByRole("button", { name: "Sign in" }).click();
    await member.locator("#badge", { hasText: "Active" }).waitFor();
    expect(await member.locator("#session-who").innerText()).toBe("Signed in as bob (member) in workspace acme");
    expect(await member.locator("#fact-fingerprint").innerText()).toContain(soon.token.slice(-4));
    expect(await member.locator("#fact-health").innerText()).toBe("Expires soon: an admin can renew it before it expires");
    for (const name of ["Renew", "Deactivate", "Activate", "Disconnect"]) expect(await member.getByRole("button", { name }).count()).toBe(0);
    expect(await member.locator("#events").isVisible()).toBe(false);
    expect(await member.getByRole("alert").isVisible()).toBe(false);
    expect(memberRec.queries.length).toBeGreaterThan(0);
    expect(memberRec.queries.filter((q) => q.includes("integrationEvents"))).toEqual([]);
    // Chromium reports the forged token's HTTP 401 on the console; nothing else may be there.
    expect(memberRec.problems).toEqual([expect.stringMatching(/status of 401/)]);
    await shot(member, "08-member");
    await member.close();
  });

  test("events page by ten: Older events while the API says there are more, Newer events back to the newest", async () => {
    for (let i = 0; i < 4; i++) for (const active of [false, true]) expect(codeOf(await h.gql(admin, Toggle, { active }))).toBeUndefined();
    const all = (await h.gql<{ integrationEvents: { nodes: EventShape[] } }>(admin, Events, { first: 100 })).body.data!.integrationEvents.nodes;
    expect(all).toHaveLength(PAGE + 4); // 6 so far and 8 toggles: a second page of 4
    await page.reload();
    const range = (text: string) => page.locator("#events-range", { hasText: text }).waitFor();
    const newer = page.getByRole("button", { name: "Newer events" });
    const older = page.getByRole("button", { name: "Older events" });
    await range(`Events 1 to ${PAGE},`);
    expect(await eventRows(page)).toEqual(rowsOf(all.slice(0, PAGE)));
    expect([await newer.isDisabled(), await older.isDisabled()]).toEqual([true, false]);

    await older.click();
    await range(`Events ${PAGE + 1} to ${PAGE + 4},`);
    expect(await eventRows(page)).toEqual(rowsOf(all.slice(PAGE)));
    expect((await eventRows(page)).at(-1)).toEqual(["Connected", "alice", `••••${first.token.slice(-4)}`]);
    expect([await newer.isDisabled(), await older.isDisabled()]).toEqual([false, true]); // hasNextPage: false
    expect(await activeId(page)).toBe("events-newer"); // Older is spent: focus on the way back
    const times = await eventTimes(page);
    for (const [when, at] of times) expect(when).toBe(utcText(at));
    expect(times.map(([, at]) => at)).toEqual(all.slice(PAGE).map((e) => e.at));
    expect(rec.queries.filter((q) => q.startsWith("query AdminPageEvents("))).toHaveLength(1);
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, "08b-older-events");

    await page.keyboard.press("Enter");
    await range(`Events 1 to ${PAGE},`);
    expect(await eventRows(page)).toEqual(rowsOf(all.slice(0, PAGE)));
    expect([await newer.isDisabled(), await older.isDisabled()]).toEqual([true, false]);
    expect(await activeId(page)).toBe("events-older");
  });

  test("disconnect asks first (cannot be undone, revoke on GitHub); Escape keeps it, confirming removes it", async () => {
    await page.getByRole("button", { name: "Disconnect" }).click();
    const dialog = page.getByRole("dialog", { name: "Disconnect GitHub?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/cannot be undone[\s\S]*revoke it there/);
    expect(await activeId(page)).toBe("disconnect-cancel");
    await shot(page, "09-disconnect-confirmation");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await activeId(page)).toBe("disconnect-open");
    expect((await card())?.status).toBe("ACTIVE");

    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await page.keyboard.press("Tab");
    expect(await activeId(page)).toBe("disconnect-confirm");
    await page.keyboard.press("Enter");
    await status("Disconnected");
    expect(await text("#badge")).toBe("Not connected");
    expect(await page.getByLabel("GitHub key (personal access token)").isVisible()).toBe(true);
    expect(await card()).toBeNull();
    const events = await h.gql<{ integrationEvents: { nodes: EventShape[] } }>(admin, Events, { first: 1 });
    expect(events.body.data?.integrationEvents.nodes[0]).toMatchObject({ action: "DISCONNECTED", actor: "alice" });
    expect((await eventRows(page))[0]).toEqual(["Disconnected", "alice", `••••${soon.token.slice(-4)}`]);
    await shot(page, "10-disconnected");
  });

  test("the page only ever talked to the gateway, without a console error, and no key reached a log", async () => {
    const origins = new Set(rec.urls.map((u) => new URL(u).origin));
    expect([...origins]).toEqual([new URL(h.gateway.url).origin]);
    expect(rec.problems).toEqual([]);
    expect(rec.queries.filter((q) => q.includes("mutation AdminPageConnect("))).toHaveLength(3);
    for (const key of keys) expect(h.logs.join("")).not.toContain(key);
    await page.getByRole("button", { name: "Sign out" }).click();
    expect(await storageSizes(page)).toEqual([0, 0]);
    expect(await page.getByLabel("Caller token (JWT)").isVisible()).toBe(true);
  });
});
