import "reflect-metadata";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildGatewaySchema } from "../../src/schema";

describe("schema/schema.graphql", () => {
  it("is what the code emits (run `npm run schema` after changing a type)", async () => {
    const emitted = join(mkdtempSync(join(tmpdir(), "cg-schema-")), "schema.graphql");
    await buildGatewaySchema(emitted);
    const committed = readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8");
    expect(readFileSync(emitted, "utf8")).toBe(committed);
  });

  it("exposes the contract's names and no field that could carry a key", async () => {
    const sdl = readFileSync(join(__dirname, "../../schema/schema.graphql"), "utf8");
    for (const name of ["connectIntegration(input: ConnectIntegrationInput!): Integration!", "renewIntegration(input: RenewIntegrationInput!): Integration!",
      "toggleIntegration(input: ToggleIntegrationInput!): Integration!", "disconnectIntegration(input: DisconnectIntegrationInput!): DisconnectIntegrationPayload!",
      "integration(provider: IntegrationProvider! = GITHUB): Integration", "integrations: [Integration!]!", "github: GitHub!"]) {
      expect(sdl).toContain(name);
    }
    const integrationType = /type Integration \{([\s\S]*?)\n\}/.exec(sdl)?.[1] ?? "";
    expect(integrationType).toContain("keyFingerprint: String!");
    expect(integrationType).not.toMatch(/^\s*(token|key|secret|ciphertext)\b/m);
  });
});
