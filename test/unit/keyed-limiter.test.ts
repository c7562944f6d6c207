import { KeyedLimiter } from "../../src/github/gate/keyed-limiter";

/** A task that stays running until released, recording how many ran at once. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { done, release };
}

describe("KeyedLimiter", () => {
  it("runs at most `limit` tasks per key, in order, and other keys are not held up", async () => {
    const limiter = new KeyedLimiter(2);
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const gates = Array.from({ length: 5 }, () => gate());
    const tasks = gates.map((g, i) =>
      limiter.run("tenant-a", async () => {
        started.push(`a${i}`);
        peak = Math.max(peak, ++running);
        await g.done;
        running--;
      }),
    );
    // Another tenant gets through while tenant-a's queue is full.
    await limiter.run("tenant-b", async () => started.push("b"));
    expect(started).toEqual(["a0", "a1", "b"]);
    gates.forEach((g) => g.release());
    await Promise.all(tasks);
    expect(started).toEqual(["a0", "a1", "b", "a2", "a3", "a4"]);
    expect(peak).toBe(2);
    expect(limiter.activeKeys).toBe(0);
  });

  it("releases its slot when a task fails", async () => {
    const limiter = new KeyedLimiter(1);
    await expect(limiter.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run("k", async () => "next")).resolves.toBe("next");
  });
});

describe("KeyedLimiter with a deadline", () => {
  it("a task still queued at its deadline leaves the queue with the caller's error; the others keep their order", async () => {
    const limiter = new KeyedLimiter(1);
    const g = gate();
    const ran: string[] = [];
    const first = limiter.run("t", async () => {
      ran.push("first");
      await g.done;
    });
    const late = limiter.run("t", async () => void ran.push("late"), Date.now() + 20, () => new Error("out of time"));
    const patient = limiter.run("t", async () => void ran.push("patient"));
    await expect(late).rejects.toThrow("out of time");
    g.release();
    await Promise.all([first, patient]);
    expect(ran).toEqual(["first", "patient"]);
    expect(limiter.activeKeys).toBe(0);
  });
});
