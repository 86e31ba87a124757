using KerberosCloudKdc.Protocol.Crypto;

namespace KerberosCloudKdc.Protocol.Pac;

// MS-PAC §2.8.1–2.8.5, signing order:
//   1. ticket signature (16): krbtgt key over the DER EncTicketPart whose PAC ad-data is one zero byte;
//   2. full / extended KDC signature (19): krbtgt key over the whole PAC, server, KDC and full zeroed;
//   3. server signature (6): service key over the whole PAC, server and KDC zeroed (full included);
//   4. KDC signature (7): krbtgt key over the server signature's Signature bytes.
// All use key usage 17 (KERB_NON_KERB_CKSUM_SALT) and the checksum type of the signing key's enctype.

/// <summary>Signs PACs as a KDC does and verifies the signatures a KDC or service checks.</summary>
public static class PacSigner
{
    /// <summary>
    /// Server and KDC signatures only: what a TGT carries. Signature buffers already in
    /// <paramref name="pac"/> (a decoded PAC being re-issued) are replaced; ticket and full
    /// signatures are dropped because they would no longer match.
    /// </summary>
    public static byte[] Sign(PrivilegeAttributeCertificate pac, KerberosKey serverKey, KerberosKey kdcKey) =>
        SignCore(pac, serverKey, kdcKey, ticketSignatureInput: null);

    /// <summary>
    /// Ticket, full, server and KDC signatures: what a service ticket carries.
    /// <paramref name="encTicketPartWithPlaceholder"/> is the DER EncTicketPart of the ticket being
    /// issued, with the AD-WIN2K-PAC ad-data replaced by a single zero byte (MS-PAC §2.8.3).
    /// </summary>
    public static byte[] Sign(PrivilegeAttributeCertificate pac, KerberosKey serverKey, KerberosKey kdcKey, ReadOnlySpan<byte> encTicketPartWithPlaceholder) =>
        SignCore(pac, serverKey, kdcKey, encTicketPartWithPlaceholder.ToArray());

    public static bool VerifyServerSignature(ReadOnlySpan<byte> pac, KerberosKey serverKey)
    {
        var (layout, server) = Locate(pac, PacBufferType.ServerChecksum);
        var copy = pac.ToArray();
        Zero(copy, layout, PacBufferType.ServerChecksum);
        Zero(copy, layout, PacBufferType.KdcChecksum);
        return Verify(server, serverKey, copy);
    }

    public static bool VerifyKdcSignature(ReadOnlySpan<byte> pac, KerberosKey kdcKey)
    {
        var (_, server) = Locate(pac, PacBufferType.ServerChecksum);
        var (_, kdc) = Locate(pac, PacBufferType.KdcChecksum);
        return Verify(kdc, kdcKey, server.Signature);
    }

    public static bool VerifyFullSignature(ReadOnlySpan<byte> pac, KerberosKey kdcKey)
    {
        var (layout, full) = Locate(pac, PacBufferType.FullChecksum);
        var copy = pac.ToArray();
        Zero(copy, layout, PacBufferType.ServerChecksum);
        Zero(copy, layout, PacBufferType.KdcChecksum);
        Zero(copy, layout, PacBufferType.FullChecksum);
        return Verify(full, kdcKey, copy);
    }

    public static bool VerifyTicketSignature(ReadOnlySpan<byte> pac, KerberosKey kdcKey, ReadOnlySpan<byte> encTicketPartWithPlaceholder)
    {
        var (_, ticket) = Locate(pac, PacBufferType.TicketChecksum);
        return Verify(ticket, kdcKey, encTicketPartWithPlaceholder);
    }

    private static byte[] SignCore(PrivilegeAttributeCertificate pac, KerberosKey serverKey, KerberosKey kdcKey, byte[]? ticketSignatureInput)
    {
        ArgumentNullException.ThrowIfNull(pac);
        ArgumentNullException.ThrowIfNull(serverKey);
        ArgumentNullException.ThrowIfNull(kdcKey);

        var buffers = pac.Buffers.Where(b => !PacSignatureData.IsSignatureBuffer(b.Type)).ToList();
        buffers.Add(PacSignatureData.Placeholder(PacBufferType.ServerChecksum, serverKey));
        buffers.Add(PacSignatureData.Placeholder(PacBufferType.KdcChecksum, kdcKey));
        if (ticketSignatureInput is not null)
        {
            buffers.Add(PacSignatureData.Placeholder(PacBufferType.TicketChecksum, kdcKey));
            buffers.Add(PacSignatureData.Placeholder(PacBufferType.FullChecksum, kdcKey));
        }

        var (bytes, layout) = PacLayout.Encode(buffers);
        if (ticketSignatureInput is not null)
        {
            Fill(bytes, layout, PacBufferType.TicketChecksum, kdcKey, ticketSignatureInput);
            Fill(bytes, layout, PacBufferType.FullChecksum, kdcKey, bytes);
        }

        Fill(bytes, layout, PacBufferType.ServerChecksum, serverKey, bytes);
        Fill(bytes, layout, PacBufferType.KdcChecksum, kdcKey, SignatureField(bytes, layout, PacBufferType.ServerChecksum).ToArray());
        return bytes;
    }

    // Compute before writing: for the full and server signatures the data is the PAC itself, whose
    // own signature field must still be zero while it is checksummed.
    private static void Fill(byte[] pacBytes, PacLayout layout, PacBufferType type, KerberosKey key, ReadOnlySpan<byte> data)
    {
        var checksum = KerberosChecksum.Compute(KerberosChecksum.ForEncryptionType(key.EncryptionType), key, KeyUsage.PacChecksum, data);
        checksum.CopyTo(SignatureField(pacBytes, layout, type));
    }

    private static Span<byte> SignatureField(byte[] pacBytes, PacLayout layout, PacBufferType type)
    {
        var entry = layout.Find(type) ?? throw new InvalidOperationException($"No {type} buffer was reserved.");
        return pacBytes.AsSpan(entry.Offset + PacSignatureData.SignatureOffset, entry.Length - PacSignatureData.SignatureOffset);
    }

    private static (PacLayout Layout, PacSignatureData Signature) Locate(ReadOnlySpan<byte> pac, PacBufferType type)
    {
        var layout = PacLayout.Parse(pac);
        var entry = layout.Find(type) ?? throw new KerberosProtocolException($"PAC has no {Describe(type)}.");
        return (layout, PacSignatureData.Decode(type, pac.Slice(entry.Offset, entry.Length)));
    }

    // Only the Signature bytes are zeroed, not SignatureType nor a trailing RODCIdentifier.
    private static void Zero(byte[] copy, PacLayout layout, PacBufferType type)
    {
        if (layout.Find(type) is not { } entry)
        {
            return;
        }

        var signature = PacSignatureData.Decode(type, copy.AsSpan(entry.Offset, entry.Length));
        copy.AsSpan(entry.Offset + PacSignatureData.SignatureOffset, signature.Signature.Length).Clear();
    }

    // A signature whose type is not the key's own checksum type is refused outright: otherwise a
    // forger could pick a type that is easier to fake than the one the key implies.
    private static bool Verify(PacSignatureData signature, KerberosKey key, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expectedType = KerberosChecksum.ForEncryptionType(key.EncryptionType);
        return signature.SignatureType == expectedType
            && KerberosChecksum.Verify(expectedType, key, KeyUsage.PacChecksum, data, signature.Signature);
    }

    private static string Describe(PacBufferType type) => type switch
    {
        PacBufferType.ServerChecksum => "server signature",
        PacBufferType.KdcChecksum => "KDC signature",
        PacBufferType.TicketChecksum => "ticket signature",
        _ => "full signature",
    };
}
