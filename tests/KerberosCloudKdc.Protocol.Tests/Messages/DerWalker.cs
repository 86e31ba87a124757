namespace KerberosCloudKdc.Protocol.Tests.Messages;

/// <summary>
/// An independent, test-only DER walker that finds every length field in a value, descending into
/// constructed values and into OCTET STRINGs whose content is itself DER (padata values, e-data).
/// </summary>
internal static class DerWalker
{
    /// <summary>Every length field; <c>Opaque</c> marks those inside an OCTET STRING the outer decoder does not open.</summary>
    public static IReadOnlyList<(int Offset, int Size, bool Opaque)> LengthFields(byte[] der)
    {
        var fields = new List<(int, int, bool)>();
        if (!Walk(der, 0, der.Length, fields, 0, opaque: false))
        {
            throw new InvalidOperationException("The seed is not DER.");
        }

        return fields;
    }

    public static int ReadLength(byte[] der, int offset)
    {
        var first = der[offset];
        if (first < 0x80)
        {
            return first;
        }

        var length = 0;
        for (var i = 1; i <= (first & 0x7F); i++)
        {
            length = (length << 8) | der[offset + i];
        }

        return length;
    }

    private static bool Walk(byte[] der, int start, int end, List<(int, int, bool)> fields, int depth, bool opaque)
    {
        var position = start;
        while (position < end)
        {
            var tag = der[position++];
            if ((tag & 0x1F) == 0x1F)
            {
                while (position < end && (der[position] & 0x80) != 0)
                {
                    position++;
                }

                position++;
            }

            if (position >= end)
            {
                return false;
            }

            var lengthOffset = position;
            var first = der[position++];
            var lengthSize = 1;
            if (first >= 0x80)
            {
                lengthSize += first & 0x7F;
                if (first == 0x80 || lengthSize > 5 || lengthOffset + lengthSize > end)
                {
                    return false;
                }

                position = lengthOffset + lengthSize;
            }

            var length = ReadLength(der, lengthOffset);
            if (length < 0 || position + length > end)
            {
                return false;
            }

            fields.Add((lengthOffset, lengthSize, opaque));
            if ((tag & 0x20) != 0)
            {
                if (!Walk(der, position, position + length, fields, depth + 1, opaque))
                {
                    return false;
                }
            }
            else if (tag == 0x04 && length > 1 && depth < 16)
            {
                // Opaque OCTET STRING content that happens to be DER is walked too; if it is not, it is left alone.
                var nested = new List<(int, int, bool)>();
                if (Walk(der, position, position + length, nested, depth + 1, opaque: true))
                {
                    fields.AddRange(nested);
                }
            }

            position += length;
        }

        return true;
    }
}
