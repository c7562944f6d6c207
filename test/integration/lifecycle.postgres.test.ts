import { classicKey, fineGrainedKey } from "../support/keys";
import { startHarness, type Harness } from "../support/harness";
import { runLifecycle } from "./lifecycle-scenario";

const first = fineGrainedKey("octo-alice", { expiresAt: new Date("2027-01-01T00:00:00Z") });
const second = classicKey("octo-bob");

describe("integration lifecycle on PostgreSQL", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ database: "postgres", keys: [first, second] });
  });
  afterAll(() => h?.close());

  it("connects, reads the card, deactivates, activates, renews and disconnects", async () => {
    await runLifecycle(h, first, second);
  });
});
