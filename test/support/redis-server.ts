import { spawnSync } from "node:child_process";
import { OwnRedis, REDIS_SERVER } from "../../bench/redis-server";

/** The shared-limits tests' Redis: a server of their own, so that they can stop and freeze it. */
export { OwnRedis as TestRedis };

/** Why the suite cannot start a Redis of its own here, or undefined when it can. */
export function redisServerProblem(): string | undefined {
  const probe = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return undefined;
  return `${REDIS_SERVER} cannot be run (${probe.error?.message ?? probe.stderr.trim()}): install Redis (apt-get install -y redis-server; .ci/run does) or set REDIS_SERVER_PATH; the shared-limits tests start Redis servers of their own, so that they can stop one`;
}
