/**
 * The gateway's turn: four requests. In an experiment outside the bench (bench/README.md, "Issue 16:
 * workspaces take turns"), another workspace's p50 during bursts on one instance rose x1.03 with 1 a turn,
 * x1.08 with 4 and x1.11 with 8; at saturation (128 connections) 1 a turn cost 0.36-0.38 ms of CPU a
 * request, 4 cost 0.29-0.33, none 0.30-0.34.
 */
export const REQUESTS_PER_TURN = 4;

/**
 * One instance's event loop, shared between workspaces in turns. Node runs whatever is ready in one go: 67
 * requests of one workspace whose budget answers arrive in one Redis reply, or whose look-ups one upstream
 * document answers, are parsed, executed and serialized back to back, 5-10 ms on one thread, and another
 * workspace's request that became ready meanwhile waits behind all of them, at every step of its way (its
 * arrival, each Redis reply, GitHub's answer). Bench case 7 measures it: on one instance without turns, a
 * workspace's single look-ups rose x1.25 during another's 200-request bursts, where the same look-ups sent
 * straight to the emulator on the same machine rose x1.02.
 *
 * So a request goes on only in its turn: where a workspace's work would start in a bunch (past admission;
 * handed its share of a batch answer), each request waits in its workspace's line, and every turn of the
 * event loop lets `perTurn` requests go, one workspace after another (round-robin, as Kubernetes' API
 * Priority and Fairness dispatches its flows). Between two turns Node reads its sockets and timers, so
 * another workspace's request waits for at most `perTurn` others, not a whole burst. A lone request waits
 * one turn (setImmediate, microseconds). Nothing is dropped or reordered within a workspace.
 */
export class FairTurns {
  /** Each waiting workspace's line, in the order their turns come (a Map keeps insertion order). */
  private readonly lines = new Map<string, Array<() => void>>();
  private scheduled = false;

  constructor(private readonly perTurn: number) {}

  /** Resolves in `tenant`'s turn. */
  wait(tenant: string): Promise<void> {
    return new Promise((resolve) => {
      const line = this.lines.get(tenant);
      if (line) line.push(resolve);
      else this.lines.set(tenant, [resolve]);
      this.schedule();
    });
  }

  /** Requests waiting for a turn now. */
  get waiting(): number {
    let n = 0;
    for (const line of this.lines.values()) n += line.length;
    return n;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    for (let granted = 0; granted < this.perTurn && this.lines.size > 0; granted += 1) {
      const [tenant, line] = this.lines.entries().next().value as [string, Array<() => void>];
      const go = line.shift() as () => void;
      // The workspace goes to the back of the round; it keeps its place only if nobody else waits.
      this.lines.delete(tenant);
      if (line.length > 0) this.lines.set(tenant, line);
      go();
    }
    if (this.lines.size > 0) this.schedule();
  };
}
