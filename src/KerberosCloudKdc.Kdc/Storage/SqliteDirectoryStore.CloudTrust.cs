using KerberosCloudKdc.Kdc.Directory;
using KerberosCloudKdc.Protocol.Pac;
using Microsoft.Data.Sqlite;

namespace KerberosCloudKdc.Kdc.Storage;

/// <summary>Cloud Kerberos trusts (schema migration 2): tables cloud_trusts and cloud_trust_keys.</summary>
public sealed partial class SqliteDirectoryStore
{

    private const string CloudTrustColumns = "dns_lower, dns_name, rodc_number, key_updated_on, allowed_sids, denied_sids";

    public async ValueTask<CloudTrustDomain?> GetCloudTrustAsync(Guid tenantId, string domainDnsName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domainDnsName);
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var trusts = await ReadCloudTrustsAsync(read, tenantId, domainDnsName.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
        return trusts.Count > 0 ? trusts[0] : null;
    }

    public async ValueTask<IReadOnlyList<CloudTrustDomain>> ListCloudTrustsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var read = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(read, tenantId, cancellationToken).ConfigureAwait(false);
        return await ReadCloudTrustsAsync(read, tenantId, domainLower: null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SetCloudTrustAsync(Guid tenantId, CloudTrustDomain trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentException.ThrowIfNullOrWhiteSpace(trust.DnsName);
        var lower = trust.DnsName.ToLowerInvariant();
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        await DeleteCloudTrustRowsAsync(write, tenantId, lower, cancellationToken).ConfigureAwait(false);

        await using (var insert = write.Command(
            $"INSERT INTO cloud_trusts (tenant_id, {CloudTrustColumns}) VALUES ($t, $lower, $name, $rodc, $updated, $allowed, $denied);"))
        {
            insert.Parameters.Bind("$t", tenantId);
            insert.Parameters.Bind("$lower", lower);
            insert.Parameters.Bind("$name", trust.DnsName);
            insert.Parameters.Bind("$rodc", (long)trust.RodcNumber);
            insert.Parameters.Bind("$updated", trust.KeyUpdatedOn.UtcTicks);
            insert.Parameters.Bind("$allowed", string.Join(' ', trust.AllowedGroupSids));
            insert.Parameters.Bind("$denied", string.Join(' ', trust.DeniedGroupSids));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await InsertKeysAsync(write, KeyPurpose.CloudTrust, tenantId, tenantId, lower, trust.Keys, cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteCloudTrustAsync(Guid tenantId, string domainDnsName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domainDnsName);
        await using var write = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await RequireTenantAsync(write, tenantId, cancellationToken).ConfigureAwait(false);
        if (await DeleteCloudTrustRowsAsync(write, tenantId, domainDnsName.ToLowerInvariant(), cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new DirectoryObjectNotFoundException($"No cloud trust for {domainDnsName}.");
        }

        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> DeleteCloudTrustRowsAsync(SqliteDatabase.TransactionLease write, Guid tenantId, string lower, CancellationToken cancellationToken)
    {
        // Keys first and explicitly: the result must not depend on whether foreign keys are enforced.
        await using (var keys = write.Command("DELETE FROM cloud_trust_keys WHERE tenant_id = $t AND dns_lower = $d;"))
        {
            keys.Parameters.Bind("$t", tenantId);
            keys.Parameters.Bind("$d", lower);
            await keys.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var trusts = write.Command("DELETE FROM cloud_trusts WHERE tenant_id = $t AND dns_lower = $d;");
        trusts.Parameters.Bind("$t", tenantId);
        trusts.Parameters.Bind("$d", lower);
        return await trusts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<CloudTrustDomain>> ReadCloudTrustsAsync(
        SqliteDatabase.TransactionLease read, Guid tenantId, string? domainLower, CancellationToken cancellationToken)
    {
        var rows = new List<(string Lower, CloudTrustDomain Trust)>();
        await using (var command = read.Command(
            $"SELECT {CloudTrustColumns} FROM cloud_trusts WHERE tenant_id = $t AND ($d IS NULL OR dns_lower = $d) ORDER BY dns_lower;"))
        {
            command.Parameters.Bind("$t", tenantId);
            command.Parameters.Bind("$d", domainLower);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), new CloudTrustDomain
                {
                    DnsName = reader.GetString(1),
                    RodcNumber = (ushort)reader.GetInt64(2),
                    KeyUpdatedOn = new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                    AllowedGroupSids = ParseSids(reader.GetString(4)),
                    DeniedGroupSids = ParseSids(reader.GetString(5)),
                    Keys = [],
                }));
            }
        }

        var result = new List<CloudTrustDomain>(rows.Count);
        foreach (var (lower, trust) in rows)
        {
            result.Add(trust with { Keys = await ReadCloudTrustKeysAsync(read, tenantId, lower, cancellationToken).ConfigureAwait(false) });
        }

        return result;
    }

    private async Task<List<StoredKey>> ReadCloudTrustKeysAsync(SqliteDatabase.TransactionLease read, Guid tenantId, string lower, CancellationToken cancellationToken)
    {
        await using var command = read.Command($"SELECT {KeyColumns} FROM cloud_trust_keys WHERE tenant_id = $t AND dns_lower = $d ORDER BY ordinal;");
        command.Parameters.Bind("$t", tenantId);
        command.Parameters.Bind("$d", lower);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<StoredKey>(2);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadKey(reader, 0, KeyPurpose.CloudTrust, tenantId, tenantId, lower));
        }

        return keys;
    }

    private static SecurityIdentifier[] ParseSids(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(SecurityIdentifier.Parse).ToArray();
}
