import type { RegisteredKey } from "./key-registry";
import type { StoreBase } from "./store-base";
import type { OrganizationRecord, RepositoryRecord } from "./store-records";
import type { PermissionLevel, PermissionName } from "./types";

/** What the key's permissions (for REST's and GraphQL's `X-Accepted-GitHub-Permissions`) would need. */
export function acceptedPermission(permission: PermissionName, level: PermissionLevel): string {
  return `${permission}=${level}`;
}

export function fullNameOf(repo: RepositoryRecord): string {
  return `${repo.ownerLogin}/${repo.name}`;
}

/** Classic scopes that let a key read an organization's teams and members (GitHub's "read:org" and above). */
const ORG_READ_SCOPES = ["read:org", "write:org", "admin:org"];

/**
 * What one key may see and do, following GitHub (github-emulator/README.md, "Keys"): a key never sees
 * more than its user (a private repository is the owner's, its collaborators' and, for an organization's,
 * its members'); every key reads public repositories; a classic key reads private ones only with `repo`,
 * and an organization's teams only with `read:org`; a fine-grained key reaches the private repositories of
 * its one resource owner that it was granted, with the permissions it was granted, and none while the
 * owner has not approved it; a classic key reaches nothing of a SAML SSO organization it is not authorised
 * for (fine-grained keys are authorised when created).
 */
export class Access {
  constructor(
    readonly key: RegisteredKey,
    private readonly store: StoreBase,
  ) {}

  private get login(): string {
    return this.key.user.login.toLowerCase();
  }

  private listed(repo: RepositoryRecord): boolean {
    return this.key.repositories === null || this.key.repositories.has(fullNameOf(repo).toLowerCase());
  }

  private hasScope(...scopes: string[]): boolean {
    return this.key.scopes.some((s) => scopes.includes(s));
  }

  /** The user's own access, whatever the key: private repositories are their owner's, collaborators' and org members'. */
  private userReads(repo: RepositoryRecord): boolean {
    if (!repo.isPrivate) return true;
    const owner = repo.ownerLogin.toLowerCase();
    if (owner === this.login || repo.collaboratorLogins.some((c) => c.toLowerCase() === this.login)) return true;
    return this.store.organization(owner)?.memberLogins.some((m) => m.toLowerCase() === this.login) ?? false;
  }

  /** A fine-grained key reaches private resources of its resource owner only, and only once approved. */
  private ownsReach(ownerLogin: string): boolean {
    return this.key.resourceOwner === ownerLogin.toLowerCase() && !this.key.pendingApproval;
  }

  /** The key's level for a permission; null when not granted. Metadata is always readable. */
  level(permission: PermissionName): PermissionLevel | null {
    const granted = this.key.permissions;
    if (granted === null) return "write";
    if (permission === "metadata") return granted.metadata ?? "read";
    return granted[permission] ?? null;
  }

  /** The SAML SSO organization that keeps this classic key out of `ownerLogin`'s resources, if any. */
  ssoBlock(ownerLogin: string): OrganizationRecord | undefined {
    if (this.key.type !== "classic") return undefined;
    const org = this.store.organization(ownerLogin);
    return org?.samlSso && !this.key.ssoAuthorized.has(org.login.toLowerCase()) ? org : undefined;
  }

  /** Visible at all: what a missing repository would look like otherwise (NOT_FOUND, left out of lists). */
  canSee(repo: RepositoryRecord): boolean {
    if (this.ssoBlock(repo.ownerLogin)) return false;
    if (!repo.isPrivate) return true;
    if (!this.userReads(repo) || !this.listed(repo)) return false;
    return this.key.type === "classic" ? this.hasScope("repo") : this.ownsReach(repo.ownerLogin);
  }

  canRead(repo: RepositoryRecord, permission: PermissionName): boolean {
    if (!this.canSee(repo)) return false;
    return !repo.isPrivate || this.level(permission) !== null;
  }

  /**
   * Classic keys may open issues wherever their user may (public repositories with `public_repo` or `repo`,
   * private ones with `repo`); fine-grained ones only in their resource owner's granted repositories.
   */
  canWrite(repo: RepositoryRecord, permission: PermissionName): boolean {
    if (!this.canSee(repo) || !this.userReads(repo)) return false;
    if (this.key.type === "classic") return repo.isPrivate ? this.hasScope("repo") : this.hasScope("repo", "public_repo");
    return this.ownsReach(repo.ownerLogin) && this.listed(repo) && this.level(permission) === "write";
  }

  /** Teams (and enterprise teams) seen through an organization: `read:org`, or the organization permission Members. */
  canReadTeams(orgLogin: string): boolean {
    if (this.ssoBlock(orgLogin)) return false;
    if (this.key.type === "classic") return this.hasScope(...ORG_READ_SCOPES);
    return this.ownsReach(orgLogin) && this.level("members") !== null;
  }

  /** Organizations whose repositories a list left out only because this key is not authorised for their SSO. */
  ssoOmitted(repos: readonly RepositoryRecord[]): OrganizationRecord[] {
    const orgs = new Map<number, OrganizationRecord>();
    for (const repo of repos) {
      const org = this.ssoBlock(repo.ownerLogin);
      if (org && this.userReads(repo)) orgs.set(org.databaseId, org);
    }
    return [...orgs.values()];
  }
}
