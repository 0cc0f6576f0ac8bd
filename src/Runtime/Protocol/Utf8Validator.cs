namespace Annotated.WebSockets.Protocol;

/// Incremental UTF-8 validation (RFC 3629 §4) for text messages that arrive in fragments, frames and reads of any
/// size: the state of a code point cut by a boundary is carried to the next call, and the first byte that cannot
/// start or continue a well-formed sequence (overlong forms, surrogates, above U+10FFFF) is reported at once so the
/// engine can fail fast with 1007. ASCII runs are skipped with a vectorised search.
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

    /// Validates the next bytes; false at the first invalid byte.
    public bool Append(ReadOnlySpan<byte> data)
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
