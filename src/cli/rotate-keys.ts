import "reflect-metadata";
import { loadConfig } from "../config";
import { createDataSource, databaseKindOf, runMigrations } from "../db/data-source";
import { CredentialCipher } from "../secrets/credential-cipher";
import { rotateCredentialKeys } from "../secrets/rotate-keys";
import { runCli } from "./args";

/** `npm run rotate-keys`: re-encrypts every stored credential under the first key of CREDENTIAL_KEYS. */
void runCli(async () => {
  const config = loadConfig();
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    await runMigrations(ds, databaseKindOf(config));
    const cipher = new CredentialCipher(config.credentialKeys);
    const report = await rotateCredentialKeys(ds, cipher);
    process.stdout.write(`re-encrypted ${report.reencrypted} credential(s) under key '${cipher.currentKeyId}'; ${report.alreadyCurrent} already were\n`);
  } finally {
    await ds.destroy();
  }
});
