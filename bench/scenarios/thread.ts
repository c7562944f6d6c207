import { BENCH } from "../../github-emulator/bench-data";
import { measured, type BenchContext } from "../context";
import { githubOf, postGraphql } from "../gateway-client";
import { median, round } from "../stats";
import { threadQuery } from "../world";

// Case 4: `issueThread` of an issue with 1,000 comments, every one of them (maxComments: 1000).

export interface ThreadFigures {
  comments: number;
  upstreamRequests: number;
  points: number;
  ms: number;
  runsMs: number[];
}

export async function runThread(ctx: BenchContext): Promise<ThreadFigures> {
  const { comments } = BENCH.longThread;
  const once = async () => {
    const thread = githubOf(await postGraphql(ctx.gateway.url, ctx.callers.service, threadQuery(comments))).issueThread as {
      totalComments: number;
      truncated: boolean;
      comments: unknown[];
    };
    if (thread.totalComments !== comments || thread.comments.length !== comments || thread.truncated) {
      throw new Error(`thread: ${thread.comments.length} of ${thread.totalComments} comments, truncated ${thread.truncated}`);
    }
  };
  await once();
  const runs: Array<{ ms: number; requests: number; points: number }> = [];
  for (let r = 0; r < ctx.config.repeats; r += 1) {
    const { ms, upstream } = await measured(ctx.emulator, once);
    runs.push({ ms, requests: upstream.requests, points: upstream.points });
  }
  const figures: ThreadFigures = {
    comments,
    upstreamRequests: median(runs.map((r) => r.requests)),
    points: median(runs.map((r) => r.points)),
    ms: round(median(runs.map((r) => r.ms))),
    runsMs: runs.map((r) => round(r.ms)),
  };
  ctx.log(`thread: ${comments} comments in ${figures.upstreamRequests} upstream requests, ${figures.points} points, ${figures.ms} ms`);
  return figures;
}
