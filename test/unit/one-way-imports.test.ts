import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

// The layout docs/ARCHITECTURE.md draws, held by reading the imports: one road to GitHub, one owner of the
// integration tables, and arrows that only run downward. A file that breaks one of these fails here by name.

const ROOT = join(__dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === "generated" ? [] : sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

const GATEWAY = [...sources("src"), ...sources("resolvers"), ...sources("entities")];
const text = (file: string) => readFileSync(join(ROOT, file), "utf8");
const importStatements = (file: string) => [...text(file).matchAll(/^import( type)?[^;]*?from "([^"]+)"/gms)].map((m) => ({ from: m[2], typeOnly: m[1] !== undefined }));
const importsOf = (file: string) => importStatements(file).map((i) => i.from);
const importing = (pattern: RegExp) => GATEWAY.filter((f) => importsOf(f).some((i) => pattern.test(i))).map((f) => relative(ROOT, join(ROOT, f))).sort();

describe("the gateway's layout", () => {
  it("reads enough files for the checks below to mean something", () => {
    expect(GATEWAY.length).toBeGreaterThan(50);
    expect(GATEWAY).toContain("src/github/gate/github-gate.ts");
  });

  it("has one module that speaks HTTP to GitHub (Octokit), and one that calls it: the gate", () => {
    expect(importing(/^@octokit\//)).toEqual(["src/github/gate/github-http.ts"]);
    // services.ts builds the HTTP client and hands it to the gate; only the gate sends with it.
    expect(importing(/\/github-http$/).filter((f) => /GitHubHttp\b/.test(text(f)))).toEqual(["src/github/gate/github-gate.ts", "src/services.ts"]);
    expect(GATEWAY.filter((f) => /\.http\.(graphql|rest)\b/.test(text(f)))).toEqual(["src/github/gate/github-gate.ts"]);
  });

  it("has one owner of the integration tables: the store (the data source only registers the entities)", () => {
    const entityUsers = GATEWAY.filter((f) => importStatements(f).some((i) => /entities\/integration(-credential|-event)?\.entity$/.test(i.from) && !i.typeOnly));
    expect(entityUsers.sort()).toEqual(["src/db/data-source.ts", "src/integrations/integration-store.ts"]);
    const sql = GATEWAY.filter((f) => !f.startsWith("src/db/migrations/") && /(FROM|UPDATE|INTO|JOIN)\s+"?integration(_credential|_event)?\b/.test(text(f)));
    expect(sql).toEqual(["src/integrations/integration-store.ts"]);
  });

  it("never imports upward: entities import no gateway code, src imports no resolver but to build the schema", () => {
    expect(sources("entities").filter((f) => importsOf(f).some((i) => /\/(src|resolvers)\//.test(i)))).toEqual([]);
    // Types may be shared (a service returns what the public type declares); code runs one way.
    // src/schema.ts is where the resolvers are gathered into the schema: the one composition point.
    expect(sources("src").filter((f) => importStatements(f).some((i) => /(^|\/)resolvers\//.test(i.from) && !i.typeOnly))).toEqual(["src/schema.ts"]);
  });
});
