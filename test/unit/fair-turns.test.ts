import { FairTurns } from "../../src/limits/fair-turns";

/** One turn of the event loop: what was ready (sockets, timers) runs before the next setImmediate. */
const loopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("FairTurns", () => {
  it("lets one request go per turn of the event loop, in each workspace's order, and none is lost", async () => {
    const turns = new FairTurns(1);
    const order: string[] = [];
    const all = ["a1", "a2", "a3"].map((name) => turns.wait("a").then(() => order.push(name)));
    expect(turns.waiting).toBe(3);
    await loopTurn();
    expect(order).toEqual(["a1"]);
    await Promise.all(all);
    expect(order).toEqual(["a1", "a2", "a3"]);
    expect(turns.waiting).toBe(0);
  });

  it("a workspace that arrives behind another's burst of 100 goes within the next two turns, not after the burst", async () => {
    const turns = new FairTurns(1);
    const order: string[] = [];
    const burst = Array.from({ length: 100 }, (_, i) => turns.wait("busy").then(() => order.push(`busy-${i}`)));
    await loopTurn();
    await loopTurn();
    const bystander = turns.wait("quiet").then(() => order.push("quiet"));
    await Promise.all([...burst, bystander]);
    const at = order.indexOf("quiet");
    const grantedBefore = order.slice(0, at).length;
    // Two of the burst went before it arrived; at most one more goes before its turn.
    expect(grantedBefore).toBeLessThanOrEqual(3);
    expect(order.filter((o) => o.startsWith("busy-"))).toEqual(burst.map((_, i) => `busy-${i}`));
  });

  it("rotates between waiting workspaces: each of three gets a turn in every round", async () => {
    const turns = new FairTurns(1);
    const order: string[] = [];
    const waits = ["x", "y", "z"].flatMap((t) => [1, 2, 3].map((n) => turns.wait(t).then(() => order.push(`${t}${n}`))));
    await Promise.all(waits);
    expect(order).toEqual(["x1", "y1", "z1", "x2", "y2", "z2", "x3", "y3", "z3"]);
  });

  it("with perTurn 4, lets four go in one turn, still in rotation", async () => {
    const turns = new FairTurns(4);
    const order: string[] = [];
    for (const t of ["p", "q"]) for (let n = 1; n <= 3; n += 1) void turns.wait(t).then(() => order.push(`${t}${n}`));
    await loopTurn();
    expect(order).toEqual(["p1", "q1", "p2", "q2"]);
    await loopTurn();
    expect(order).toEqual(["p1", "q1", "p2", "q2", "p3", "q3"]);
  });

  it("leaves a gap after each turn: work that became ready meanwhile runs before the burst's next request", async () => {
    const turns = new FairTurns(1);
    const order: string[] = [];
    const burst = [1, 2, 3].map((n) => turns.wait("busy").then(() => order.push(`busy-${n}`)));
    // Ready after the burst was queued, as another workspace's socket read would be.
    const other = new Promise<void>((resolve) => setImmediate(() => (order.push("other"), resolve())));
    await Promise.all([...burst, other]);
    // In one go, all three would have run before it.
    expect(order).toEqual(["busy-1", "other", "busy-2", "busy-3"]);
  });
});
