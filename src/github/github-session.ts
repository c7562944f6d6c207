import type { UsableKey } from "../integrations/key-vault";
import type { UsageRecorder } from "../integrations/usage-recorder";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { GitHubClient } from "./github-client";
import { GatewayViewerDocument, type GatewayViewerQuery } from "./generated/github-operations";
import { toGatewayError } from "./github-errors";

export type GitHubViewer = GatewayViewerQuery["viewer"];

/**
 * A request's use of GitHub: the tenant's key is loaded on first use (so a request that never touches
 * `github` reads no credential), and every call goes out with the key current at that moment.
 */
export class GitHubSession {
  private key?: Promise<UsableKey>;

  constructor(
    private readonly client: GitHubClient,
    private readonly loadKey: () => Promise<UsableKey>,
    private readonly usage: UsageRecorder,
  ) {}

  private usableKey(): Promise<UsableKey> {
    this.key ??= this.loadKey();
    return this.key;
  }

  async query<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
    const { integration, key } = await this.usableKey();
    try {
      const { data } = await this.client.query(key, document, variables);
      await this.usage.markUsed(integration.id);
      return data;
    } catch (e) {
      throw toGatewayError(e);
    }
  }

  async viewer(): Promise<GitHubViewer> {
    return (await this.query(GatewayViewerDocument)).viewer;
  }
}
