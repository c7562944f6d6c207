import "reflect-metadata";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";
import { startGateway } from "./server";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
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

main().catch((e: unknown) => {
  process.stderr.write(`gateway failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
