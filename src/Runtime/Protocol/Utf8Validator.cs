namespace Annotated.WebSockets.Protocol;

/// Incremental UTF-8 validation (RFC 3629 §4) for text messages that arrive in fragments, frames and reads of any
/// size: the state of a code point cut by a boundary is carried to the next call, and the first byte that cannot
/// start or continue a well-formed sequence (overlong forms, surrogates, above U+10FFFF) is reported at once so the
/// engine can fail fast with 1007 (a chunk with an invalid byte is rejected when it is appended).
///
/// Speed: the part of each chunk that ends on a code point boundary is checked by the framework's vectorised
/// validator (System.Text.Unicode.Utf8.IsValid, several GB/s on ASCII and mixed text); only the bytes of a sequence
/// cut by the chunk's start or end (at most 3 on each side) go through the byte-at-a-time state machine below.
internal struct Utf8Validator
{
    private byte _needed;      // continuation bytes still expected
    private byte _pending;     // bytes of the incomplete sequence seen so far (the lead byte included)
    private byte _lower;       // allowed range of the next continuation byte
    private byte _upper;

    /// Bytes at the end of the data seen so far that form an incomplete code point (0..3).
    public readonly int PendingBytes => _pending;

    /// True when the data seen so far ends on a code point boundary.
    public readonly bool IsComplete => _needed == 0;

    public void Reset() => this = default;

    /// Validates the next bytes; false when they hold an invalid byte.
    public bool Append(ReadOnlySpan<byte> data)
    {
        int i = 0;
        if (_needed != 0)
        {
            // Finish the sequence carried from the previous chunk (at most 3 bytes).
            int head = Math.Min(_needed, data.Length);
            if (!AppendBytes(data[..head]))
            {
                return false;
            }

            i = head;
        }

        ReadOnlySpan<byte> rest = data[i..];
        int complete = CompletePrefixLength(rest);
        if (!System.Text.Unicode.Utf8.IsValid(rest[..complete]))
        {
            return false;
        }

        // A sequence cut by the chunk's end: checked and carried by the state machine.
        return AppendBytes(rest[complete..]);
    }

    // The length of the prefix of `data` (which starts on a code point boundary) that does not end inside a
    // sequence whose lead byte is among its last 3 bytes. Bytes that are invalid anyway stay in the prefix or the
    // tail; either validator rejects them.
    private static int CompletePrefixLength(ReadOnlySpan<byte> data)
    {
        for (int k = 1; k <= 3 && k <= data.Length; k++)
        {
            byte b = data[^k];
            if ((b & 0xC0) == 0x80)
            {
                continue;   // a continuation byte: look further back for its lead byte
            }

            int sequenceLength = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return sequenceLength > k ? data.Length - k : data.Length;
        }

        return data.Length;
    }

    // The byte-at-a-time state machine (RFC 3629 table), for the bytes around chunk boundaries.
    private bool AppendBytes(ReadOnlySpan<byte> data)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (_needed == 0)
            {
                int nonAscii = data[i..].IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
                if (nonAscii < 0)
                {
                    return true;
                }

                i += nonAscii;
                byte lead = data[i++];
                switch (lead)
                {
                    case >= 0xC2 and <= 0xDF:
                        Start(1, 0x80, 0xBF);
                        break;
                    case 0xE0:
                        Start(2, 0xA0, 0xBF);   // no overlong 3-byte forms
                        break;
                    case 0xED:
                        Start(2, 0x80, 0x9F);   // no surrogates
                        break;
                    case >= 0xE1 and <= 0xEF:
                        Start(2, 0x80, 0xBF);
                        break;
                    case 0xF0:
                        Start(3, 0x90, 0xBF);   // no overlong 4-byte forms
                        break;
                    case >= 0xF1 and <= 0xF3:
                        Start(3, 0x80, 0xBF);
                        break;
                    case 0xF4:
                        Start(3, 0x80, 0x8F);   // nothing above U+10FFFF
                        break;
                    default:
                        return false;           // 0x80–0xC1 and 0xF5–0xFF never start a sequence
                }
            }
            else
            {
                byte b = data[i++];
                if (b < _lower || b > _upper)
                {
                    return false;
                }

                _lower = 0x80;
                _upper = 0xBF;
                if (--_needed == 0)
                {
                    _pending = 0;
                }
                else
                {
                    _pending++;
                }
            }
        }

        return true;
    }

    private void Start(byte needed, byte lower, byte upper)
    {
        _needed = needed;
        _pending = 1;
        _lower = lower;
        _upper = upper;
    }
}
