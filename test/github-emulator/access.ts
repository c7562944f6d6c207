import type { RegisteredKey } from "./key-registry";
import type { RepositoryRecord } from "./store";
import type { PermissionLevel, PermissionName } from "./types";

/** What the key's permissions (for REST's and GraphQL's `X-Accepted-GitHub-Permissions`) would need. */
export function acceptedPermission(permission: PermissionName, level: PermissionLevel): string {
  return `${permission}=${level}`;
}

export function fullNameOf(repo: RepositoryRecord): string {
  return `${repo.ownerLogin}/${repo.name}`;
}

/**
 * What one key may see and do, following GitHub: every key reads public repositories; a key
 * limited to some repositories sees no other private one (they answer NOT_FOUND like missing ones);
 * a fine-grained key needs the matching permission to read a private repository's issues, pull
 * requests or contents, and write permission (on a listed repository) to change anything.
 */
export class Access {
  constructor(readonly key: RegisteredKey) {}

  private listed(repo: RepositoryRecord): boolean {
    return this.key.repositories === null || this.key.repositories.has(fullNameOf(repo).toLowerCase());
  }

  /** The key's level for a permission; null when not granted. Metadata is always readable. */
  level(permission: PermissionName): PermissionLevel | null {
    const granted = this.key.permissions;
    if (granted === null) return "write";
    if (permission === "metadata") return granted.metadata ?? "read";
    return granted[permission] ?? null;
  }

  canSee(repo: RepositoryRecord): boolean {
    return !repo.isPrivate || this.listed(repo);
  }

  canRead(repo: RepositoryRecord, permission: PermissionName): boolean {
    if (!this.canSee(repo)) return false;
    return !repo.isPrivate || this.level(permission) !== null;
  }

  /** Classic keys may open issues on any public repository, like their user; fine-grained ones only on listed ones. */
  canWrite(repo: RepositoryRecord, permission: PermissionName): boolean {
    if (this.key.type === "classic") return this.canSee(repo);
    return this.listed(repo) && this.level(permission) === "write";
  }
}
