namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>
/// The directory's schema, one script per version; version N is <c>Migrations[N - 1]</c>. Append new
/// versions, never edit a shipped one. Ids are 16-byte GUID blobs; names that match case-insensitively are
/// kept as given and again lower-cased in a <c>*_lower</c> column that carries the unique index.
/// </summary>
internal static class DirectorySchema
{
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE store_meta (
            name  TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) STRICT;

        CREATE TABLE tenants (
            id               BLOB PRIMARY KEY,
            display_name     TEXT NOT NULL,
            is_default       INTEGER NOT NULL DEFAULT 0,
            onprem_dns_name  TEXT,
            onprem_netbios   TEXT,
            onprem_sid       TEXT,
            policy_json      TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX tenants_one_default ON tenants (is_default) WHERE is_default = 1;

        CREATE TABLE tenant_domains (
            tenant_id    BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            ordinal      INTEGER NOT NULL,
            domain       TEXT NOT NULL,
            domain_lower TEXT NOT NULL,
            PRIMARY KEY (tenant_id, ordinal)
        ) STRICT;
        -- One owner per verified domain: /contoso.com/kerberos must name exactly one tenant.
        CREATE UNIQUE INDEX tenant_domains_by_name ON tenant_domains (domain_lower);

        CREATE TABLE krbtgt_keys (
            tenant_id  BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            ordinal    INTEGER NOT NULL,
            kvno       INTEGER NOT NULL,
            etype      INTEGER NOT NULL,
            salt       TEXT,
            expires_on INTEGER,
            key_blob   BLOB NOT NULL,
            PRIMARY KEY (tenant_id, ordinal)
        ) STRICT;

        CREATE TABLE users (
            tenant_id         BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id                BLOB NOT NULL,
            upn               TEXT NOT NULL,
            upn_lower         TEXT NOT NULL,
            display_name      TEXT NOT NULL,
            account_enabled   INTEGER NOT NULL,
            sam               TEXT,
            sam_lower         TEXT,
            sid               TEXT,
            domain_name       TEXT,
            primary_group_rid INTEGER,
            PRIMARY KEY (tenant_id, id)
        ) STRICT;
        CREATE UNIQUE INDEX users_by_upn ON users (tenant_id, upn_lower);
        CREATE UNIQUE INDEX users_by_sam ON users (tenant_id, sam_lower) WHERE sam_lower IS NOT NULL;
        -- Two accounts with one on-premises SID would each be the other in every PAC.
        CREATE UNIQUE INDEX users_by_sid ON users (tenant_id, sid) WHERE sid IS NOT NULL;

        CREATE TABLE user_keys (
            tenant_id  BLOB NOT NULL,
            user_id    BLOB NOT NULL,
            ordinal    INTEGER NOT NULL,
            kvno       INTEGER NOT NULL,
            etype      INTEGER NOT NULL,
            salt       TEXT,
            expires_on INTEGER,
            key_blob   BLOB NOT NULL,
            PRIMARY KEY (tenant_id, user_id, ordinal),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        ) STRICT;

        CREATE TABLE groups (
            tenant_id    BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id           BLOB NOT NULL,
            display_name TEXT NOT NULL,
            sid          TEXT,
            PRIMARY KEY (tenant_id, id)
        ) STRICT;

        -- No foreign key to groups: like the in-memory store, a user may name a group that is not (yet) there.
        CREATE TABLE memberships (
            tenant_id BLOB NOT NULL,
            user_id   BLOB NOT NULL,
            ordinal   INTEGER NOT NULL,
            group_id  BLOB NOT NULL,
            PRIMARY KEY (tenant_id, user_id, ordinal),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        ) STRICT;
        CREATE INDEX memberships_by_group ON memberships (tenant_id, group_id);

        CREATE TABLE service_principals (
            tenant_id       BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id              BLOB NOT NULL,
            display_name    TEXT NOT NULL,
            account_enabled INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, id)
        ) STRICT;

        CREATE TABLE spns (
            tenant_id BLOB NOT NULL,
            spn_lower TEXT NOT NULL,
            sp_id     BLOB NOT NULL,
            ordinal   INTEGER NOT NULL,
            spn       TEXT NOT NULL,
            PRIMARY KEY (tenant_id, spn_lower),
            FOREIGN KEY (tenant_id, sp_id) REFERENCES service_principals (tenant_id, id) ON DELETE CASCADE
        ) STRICT;
        CREATE INDEX spns_by_owner ON spns (tenant_id, sp_id);

        CREATE TABLE sp_keys (
            tenant_id  BLOB NOT NULL,
            sp_id      BLOB NOT NULL,
            spn        TEXT NOT NULL,
            ordinal    INTEGER NOT NULL,
            kvno       INTEGER NOT NULL,
            etype      INTEGER NOT NULL,
            salt       TEXT,
            expires_on INTEGER,
            key_blob   BLOB NOT NULL,
            PRIMARY KEY (tenant_id, sp_id, spn, ordinal),
            FOREIGN KEY (tenant_id, sp_id) REFERENCES service_principals (tenant_id, id) ON DELETE CASCADE
        ) STRICT;

        -- Inbound trusts: krbtgt/KERBEROS.MICROSOFTONLINE.COM@<realm> keys, one row per key version.
        CREATE TABLE trust_keys (
            tenant_id   BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            realm_upper TEXT NOT NULL,
            ordinal     INTEGER NOT NULL,
            kvno        INTEGER NOT NULL,
            etype       INTEGER NOT NULL,
            salt        TEXT,
            expires_on  INTEGER,
            key_blob    BLOB NOT NULL,
            PRIMARY KEY (tenant_id, realm_upper, ordinal)
        ) STRICT;

        CREATE TABLE sp_tags (
            tenant_id BLOB NOT NULL,
            sp_id     BLOB NOT NULL,
            tag       TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (tenant_id, sp_id, tag),
            FOREIGN KEY (tenant_id, sp_id) REFERENCES service_principals (tenant_id, id) ON DELETE CASCADE
        ) STRICT;
        """,

        // Version 2 belongs to the cloud-trust slice; this no-op keeps versions contiguous until it merges.
        "SELECT 1;",

        // Version 3: registered devices (token endpoint). The certificate hash carries the uniqueness of a certificate.
        """
        CREATE TABLE devices (
            tenant_id        BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
            id               BLOB NOT NULL,
            device_id        BLOB NOT NULL,
            display_name     TEXT NOT NULL,
            account_enabled  INTEGER NOT NULL,
            certificate      BLOB NOT NULL,
            certificate_hash BLOB NOT NULL,
            transport_key    BLOB NOT NULL,
            registered_on    INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, id)
        ) STRICT;
        CREATE UNIQUE INDEX devices_by_device_id ON devices (tenant_id, device_id);
        CREATE UNIQUE INDEX devices_by_certificate ON devices (tenant_id, certificate_hash);
        """,
    ];
}
