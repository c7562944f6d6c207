import { accessSync, constants } from "node:fs";
import { Client } from "pg";
import { shownValue } from "../../src/config/startup-failure";
import { CHROMIUM } from "../browser/browser-support";
import { redisServerProblem } from "./redis-server";
import { adminDatabaseUrl } from "./test-database";

/** How long the check waits for PostgreSQL before saying it is not there. */
const CONNECT_TIMEOUT_MS = 5000;

async function postgresProblem(): Promise<string | undefined> {
  const url = adminDatabaseUrl();
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (e) {
    const reason = (e as Error).message || (e as { code?: string }).code || String(e);
    return `PostgreSQL is not reachable at ${shownValue("TEST_DATABASE_URL", url)} (${reason}): start it (on Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; .ci/run installs and starts it) or set TEST_DATABASE_URL to a server where the tests may create databases`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function chromiumProblem(): string | undefined {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return undefined;
  } catch {
    return `Chromium is not at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH to a Chromium binary; the admin page's browser tests drive it`;
  }
}

/**
 * Jest's globalSetup: before any test file starts, check what the suite needs from the machine, and stop
 * the run within seconds with one line per missing piece saying what to install, rather than let test
 * files time out one by one (or hang) on a server or browser that is not there.
 */
export default async function checkPrerequisites(): Promise<void> {
  const problems = [await postgresProblem(), chromiumProblem(), redisServerProblem()].filter((p): p is string => p !== undefined);
  if (problems.length === 0) return;
  const error = new Error(`npm test cannot run on this machine yet:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  error.stack = error.message; // the lines above say all there is to say; a stack trace would bury them
  throw error;
}
