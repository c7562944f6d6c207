import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { seedSampleData } from "../github-emulator";
import { classicKey, fineGrainedKey } from "../support/keys";
import { startHarness, type Harness } from "../support/harness";
import { Card, Events, Viewer, type CardShape, type EventShape } from "../support/operations";
import {
  activeId, ARTIFACTS, controlLabels, eventRows, fitsWidth, launchPhoneBrowser, rawGet, record, shot, storageSizes, storedText, type PageRecord,
} from "./browser-support";

const DAY = 86_400_000;
const first = fineGrainedKey("mona", { resourceOwner: "acme", expiresAt: new Date(Date.now() + 90 * DAY) });
const soon = classicKey("mona", { expiresAt: new Date(Date.now() + 3 * DAY) });
const unknown = classicKey("nobody"); // never registered with the emulator: GitHub answers 401
const keys = [first.token, soon.token, unknown.token];

/**
 * The integrations page in Debian's Chromium against a real gateway and the GitHub emulator. The steps
 * run in order on one admin tab, as one person would use the card; each ends with a screenshot in
 * test-artifacts/admin/ and at least one check through the API that the page really did it.
 */
describe("the integrations page at /admin", () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchPhoneBrowser>>;
  let page: Page;
  let rec: PageRecord;
  let admin: string;
  const card = async () => (await h.gql<{ integration: (CardShape & { health: string }) | null }>(admin, Card.replace("lastUsedAt", "lastUsedAt health"))).body.data?.integration;
  const status = (text: string | RegExp) => page.locator("#status", { hasText: text }).waitFor();
  const text = (selector: string) => page.locator(selector).innerText();

  beforeAll(async () => {
    [h, browser] = await Promise.all([startHarness({ database: "postgres", keys: [first, soon] }), launchPhoneBrowser()]);
    seedSampleData(h.emulator.store);
    admin = await h.token("acme", "admin", "alice");
    page = await browser.context.newPage();
    rec = record(page);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
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

  test("a wrong key shows GitHub's refusal in words, with the code behind it, and stores nothing", async () => {
    await page.getByLabel("GitHub key (personal access token)").fill(unknown.token);
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toContain("GitHub refused this key");
    expect(await page.getByLabel("GitHub key (personal access token)").inputValue()).toBe(""); // cleared on submit
    expect(await activeId(page)).toBe("connect-key"); // ready for another try
    expect(await page.locator("#error-code").isVisible()).toBe(false); // the code is one click away
    await alert.getByText("Details").click();
    expect(await text("#error-code")).toBe("GITHUB_TOKEN_REJECTED");
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
    expect(await text("#fact-registered")).toContain("by alice");
    expect(await page.locator("#fact-expires time").getAttribute("datetime")).toBe(api!.expiresAt);
    expect(await text("#fact-health")).toBe("Working");
    expect(await eventRows(page)).toEqual([["Connected", "alice", `••••${first.token.slice(-4)}`]]);
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

  test("a token the gateway did not sign is refused in words; a member sees the card without the actions and never asks for the events", async () => {
    const member = await browser.context.newPage();
    const memberRec = record(member);
    await member.goto(`${h.gateway.url}/admin`);
    // A token this gateway did not sign: refused in words, and the tab forgets it.
    const forged = `${(await h.token("acme", "member", "mallory")).slice(0, -4)}AAAA`;
    await member.getByLabel("Caller token (JWT)").fill(forged);
    await member.keyboard.press("Enter");
    await member.getByRole("alert").waitFor();
    expect(await member.getByRole("alert").innerText()).toMatch(/^Your sign-in token is missing, expired or not one this gateway issued/);
    expect(await member.locator("#error-code").textContent()).toBe("UNAUTHENTICATED");
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
    expect(rec.queries.filter((q) => q.includes("mutation AdminPageConnect("))).toHaveLength(2);
    for (const key of keys) expect(h.logs.join("")).not.toContain(key);
    await page.getByRole("button", { name: "Sign out" }).click();
    expect(await storageSizes(page)).toEqual([0, 0]);
    expect(await page.getByLabel("Caller token (JWT)").isVisible()).toBe(true);
  });
});
