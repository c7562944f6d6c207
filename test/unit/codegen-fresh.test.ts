import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "../..");

describe("generated GitHub operation types", () => {
  it("match schema/github/*.graphql and GitHub's schema (run `npm run codegen` after changing a document)", () => {
    // graphql-codegen is ESM inside; its own --check mode compares without writing.
    const r = spawnSync(process.execPath, [join(root, "node_modules/@graphql-codegen/cli/cjs/bin.js"), "--config", "codegen.yml", "--check"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/stale files|error/i);
    expect(r.status).toBe(0);
  });
});
