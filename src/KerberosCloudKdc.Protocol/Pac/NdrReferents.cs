namespace KerberosCloudKdc.Protocol.Pac;

// MS-RPCE §2.2.5.3.3: a non-null embedded pointer is written as a referent id. Windows numbers
// them 0x00020000, 0x00020004, ... in marshalling order; any non-zero value is legal.

/// <summary>Hands out referent ids the way Windows does, so our bytes look like a DC's.</summary>
internal sealed class NdrReferents
{
    private uint next = 0x00020000;

    public uint Next()
    {
        var id = next;
        next += 4;
        return id;
    }
}
