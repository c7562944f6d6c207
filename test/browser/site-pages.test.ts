import type { Page } from "playwright-core";
import { seedSampleData } from "../../github-emulator";
import { classicKey } from "../support/keys";
import { startHarness, type Harness } from "../support/harness";
import { Connect } from "../support/operations";
import { fitsWidth, launchPhoneBrowser, record, shot, storageSizes, storedText, type PageRecord } from "./browser-support";

const key = classicKey("mona");
const OPERATIONS = ["CreateIssue", "IssueThreadContext", "MergedPullRequestsThisWeek", "OpenBugIssues", "PullRequestReviewStatus", "SearchCode"];

interface Operation {
  name: string;
  kind: string;
  text: string;
  variables: { name: string; type: string; defaultValue?: string }[];
  sampleVariables: Record<string, unknown>;
}
type SearchAnswer = { data?: { github: { searchIssues: { totalCount: number; nodes: { title: string }[] } } } };

/**
 * The bare address and the GraphQL explorer in Debian's Chromium
 * against a real gateway and the GitHub emulator with its sample data. One tab, the steps in order.
 */
describe("the index page at / and the explorer at /explorer", () => {
  let h: Harness;
  let browser: Awaited<ReturnType<typeof launchPhoneBrowser>>;
  let page: Page;
  let rec: PageRecord;
  let service: string;
  const url = (path: string) => `${h.gateway.url}${path}`;
  const text = (selector: string) => page.locator(selector).innerText();
  const expectStrictHeaders = (res: Response) => {
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self';.*connect-src 'self'/);
    expect(res.headers.get("content-security-policy")).not.toMatch(/unsafe-|https?:/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  };

  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [key] });
    try {
      browser = await launchPhoneBrowser();
    } catch (error) {
      await h.close();
      throw error;
    }
    seedSampleData(h.emulator.store);
    const admin = await h.token("acme", "admin", "alice");
    expect((await h.gql(admin, Connect, { token: key.token })).body.errors).toBeUndefined();
    service = await h.token("acme", "service", "assistant");
    page = await browser.context.newPage();
    rec = record(page);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  test("GET / is a small index with the links, a strict CSP and no inline script or style", async () => {
    for (const path of ["/", "/index.html"]) {
      const res = await fetch(url(path));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expectStrictHeaders(res);
      const html = await res.text();
      expect(html).not.toMatch(/<script|<style|\sstyle=|https?:\/\//);
    }
    const css = await fetch(url("/site.css"));
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expectStrictHeaders(css);

    await page.goto(url("/"));
    const links = await page.evaluate<string[]>(`[...document.querySelectorAll("main a")].map((a) => a.getAttribute("href"))`);
    expect([...links].sort()).toEqual(["/.well-known/oauth-protected-resource", "/README.md", "/admin", "/explorer", "/graphql", "/healthz", "/metrics", "/readyz"]);
    expect(await text("h1")).toBe("Connector Gateway");
    // The stylesheet loaded under the CSP: the list's bullets are gone.
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector(".links")).listStyleType`)).toBe("none");
    expect(rec.problems).toEqual([]);
    await shot(page, "site-01-index");
  });

  test("/README.md serves the repository's README as Markdown", async () => {
    const res = await fetch(url("/README.md"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toMatch(/^# Connector Gateway\n[\s\S]*## Configuration/);
  });

  test("/explorer/operations.json lists the assistant's operations with their comment, variables and a sample", async () => {
    const res = await fetch(url("/explorer/operations.json"));
    expect(res.status).toBe(200);
    expectStrictHeaders(res);
    const { operations } = (await res.json()) as { operations: Operation[] };
    expect(operations.map((o) => o.name).sort()).toEqual(OPERATIONS);
    const byName = new Map(operations.map((o) => [o.name, o]));
    const bugs = byName.get("OpenBugIssues")!;
    // The comment just above it, not the file's header (a blank line away).
    expect(bugs.text).toMatch(/^# "Find open bug issues\."[^\n]*\nquery OpenBugIssues\(\$query: String! = "is:open label:bug"\) \{\n[\s\S]*searchIssues[\s\S]*\}\n$/);
    expect(bugs.variables).toEqual([{ name: "query", type: "String!", defaultValue: '"is:open label:bug"' }]);
    expect(bugs.sampleVariables).toEqual({ query: "is:open label:bug" });
    expect(byName.get("CreateIssue")).toMatchObject({ kind: "mutation", sampleVariables: { input: { owner: "", repo: "", title: "", body: null, labels: null, assignees: null } } });
    const merged = byName.get("MergedPullRequestsThisWeek")!;
    expect(merged.sampleVariables).toEqual({ since: expect.stringMatching(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/), owner: null, repo: null });
    const weekAgo = Date.now() - Date.parse(merged.sampleVariables.since as string);
    expect(weekAgo).toBeGreaterThan(7 * 86_400_000 - 1);
    expect(weekAgo).toBeLessThan(8 * 86_400_000);
    expect(byName.get("IssueThreadContext")!.sampleVariables).toEqual({ owner: "", repo: "", number: 0, maxComments: null });
  });

  test("/explorer loads from the gateway alone, under the same headers and no-store, with no console error", async () => {
    const res = await fetch(url("/explorer"));
    expect(res.status).toBe(200);
    expectStrictHeaders(res);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|https?:\/\//);
    const script = await fetch(url("/explorer/explorer.js"));
    expect(script.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expectStrictHeaders(script);

    rec.urls.length = 0;
    await page.goto(url("/explorer"));
    await page.locator("#operation option", { hasText: "OpenBugIssues" }).waitFor({ state: "attached" });
    const options = await page.evaluate<string[]>(`[...document.querySelectorAll("#operation option")].map((o) => o.value).filter(Boolean)`);
    expect([...options].sort()).toEqual(OPERATIONS);
    expect(await page.getByLabel("Caller token (JWT)").getAttribute("type")).toBe("password");
    expect(await fitsWidth(page)).toBe(true);
    expect(rec.urls.length).toBeGreaterThanOrEqual(4); // the page, its stylesheet, its script, the operations
    expect(rec.urls.filter((u) => !u.startsWith(`${h.gateway.url}/`) && u !== "data:,")).toEqual([]);
    expect(rec.problems).toEqual([]);
  });

  test("choosing OpenBugIssues fills the query and the variables", async () => {
    await page.getByLabel("Example operation").selectOption("OpenBugIssues");
    expect(await page.getByLabel("Query").inputValue()).toMatch(/^# "Find open bug issues\."[\s\S]*query OpenBugIssues[\s\S]*searchIssues/);
    expect(JSON.parse(await page.getByLabel("Variables (JSON)").inputValue())).toEqual({ query: "is:open label:bug" });
  });

  test("variables that are not JSON are refused in the page, and nothing is sent", async () => {
    const sent = rec.urls.length;
    const before = await page.getByLabel("Variables (JSON)").inputValue();
    await page.getByLabel("Variables (JSON)").fill("{ query: ");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("#result-status", { hasText: "not valid JSON" }).waitFor();
    expect(rec.urls.slice(sent)).toEqual([]);
    await page.getByLabel("Variables (JSON)").fill(before);
  });

  test("with a service token, Send shows the emulator's open bug issues, and the token stays in this tab", async () => {
    const upstream = h.emulator.requests.length;
    await page.getByLabel("Caller token (JWT)").fill(service);
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("#http-status", { hasText: "HTTP 200" }).waitFor();
    expect(await page.locator("#error-code").count()).toBe(0);
    const shown = JSON.parse(await text("#answer")) as SearchAnswer;
    const api = await h.gql<SearchAnswer["data"]>(service, await page.getByLabel("Query").inputValue(), { query: "is:open label:bug" });
    expect(shown.data?.github.searchIssues.totalCount).toBeGreaterThan(0);
    expect(shown.data?.github.searchIssues.nodes.map((n) => n.title)).toContain("Checkout button unresponsive on Safari");
    expect(shown).toEqual(api.body);
    expect(h.emulator.requests.length).toBeGreaterThan(upstream);
    expect(await text("#answer")).toContain('\n  "data": {'); // pretty-printed
    expect(await storageSizes(page)).toEqual([1, 0]);
    expect(await storedText(page)).toContain(service);
    await shot(page, "site-02-explorer-answer");
  });

  test("a wrong token shows the 401 and UNAUTHENTICATED plainly", async () => {
    await page.getByLabel("Caller token (JWT)").fill(`${service.slice(0, -4)}AAAA`);
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("#error-code").waitFor();
    expect(await text("#http-status")).toMatch(/^HTTP 401/);
    expect(await text("#error-code")).toBe("UNAUTHENTICATED");
    expect(await page.locator("#result-status").getAttribute("class")).toContain("failed");
    expect(await text("#answer")).toContain('"code": "UNAUTHENTICATED"');
    // Only the browser's own note of the 401 response: no CSP violation, no script error, all along.
    expect(rec.problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    await shot(page, "site-03-explorer-unauthenticated");
  });

  test("a browser opening /graphql is sent to the explorer; a GET with a query still reaches GraphQL", async () => {
    const browserGet = await fetch(url("/graphql"), { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" }, redirect: "manual" });
    expect(browserGet.status).toBe(302);
    expect(browserGet.headers.get("location")).toBe("/explorer");
    const withQuery = await fetch(url("/graphql?query=%7B__typename%7D"), { headers: { accept: "text/html, application/json;q=0.9", "apollo-require-preflight": "1", authorization: `Bearer ${service}` }, redirect: "manual" });
    expect(withQuery.status).toBe(200);
    expect(await withQuery.json()).toEqual({ data: { __typename: "Query" } });
    await page.goto(url("/graphql"));
    expect(new URL(page.url()).pathname).toBe("/explorer");
  });

  test("unknown paths answer 404 in JSON with a code", async () => {
    for (const path of ["/nope", "/explorer/nope.js", "/index.htm"]) {
      const res = await fetch(url(path));
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await res.json()) as { errors?: { extensions?: { code?: unknown } }[] };
      expect(body.errors?.[0]?.extensions?.code).toEqual(expect.any(String));
    }
    expectStrictHeaders(await fetch(url("/explorer/nope.js")));
  });

  // Last: the browser then asks for /favicon.ico, and its 404 would show among the page's problems.
  test("the README link opens as text in the browser", async () => {
    await page.goto(url("/"));
    await page.getByRole("link", { name: "README" }).click();
    await page.waitForURL(url("/README.md"));
    expect(await page.evaluate<string>("document.body.innerText")).toMatch(/^# Connector Gateway\n/); // a download would not be shown
  });
});
