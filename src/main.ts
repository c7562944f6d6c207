import "reflect-metadata";
import { ConfigError, loadConfig } from "./config";
import { StartupFailure } from "./config/startup-failure";
import { createLogger } from "./logger";
import { startGateway } from "./server";

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  for (const name of config.generatedSecrets) {
    log.warn({ dataDir: config.dataDir }, `${name} was not set: generated one into DATA_DIR for development; set it in production`);
  }
  const gateway = await startGateway(config, log);
  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    await gateway.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

// One line per fault, naming the setting, the value and what to do; a fault no setting explains (a bug) is one
// line too, with its stack only at LOG_LEVEL=debug, for a bug report.
main().catch((e: unknown) => {
  const debug = process.env.LOG_LEVEL === "debug" || process.env.LOG_LEVEL === "trace";
  const other = e instanceof Error ? (debug ? (e.stack ?? e.message) : `${e.message} (LOG_LEVEL=debug shows where)`) : String(e);
  const lines = e instanceof ConfigError ? e.problems : e instanceof StartupFailure ? [e.message] : [other];
  process.stderr.write(lines.map((line) => `gateway failed to start: ${line}\n`).join(""));
  process.exit(1);
});
