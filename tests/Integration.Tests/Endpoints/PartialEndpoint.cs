using System.Text;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Takes text and binary in parts and answers, at the last part, how many parts and bytes it saw.</summary>
[ServerEndpoint("/it/partial")]
public sealed class PartialEndpoint
{
    private readonly StringBuilder _text = new();
    private int _textParts;
    private long _binaryBytes;
    private int _binaryParts;

    [OnMessage]
    public async Task Text(string part, bool last, WebSocketSession session)
    {
        _text.Append(part);
        _textParts++;
        if (last)
        {
            var summary = $"text:{_textParts}:{_text.Length}:{_text.ToString(0, Math.Min(_text.Length, 5))}";
            _text.Clear();
            _textParts = 0;
            await session.BasicRemote.SendTextAsync(summary);
        }
    }

    [OnMessage]
    public async Task Binary(ReadOnlyMemory<byte> part, bool last, WebSocketSession session)
    {
        _binaryBytes += part.Length;
        _binaryParts++;
        if (last)
        {
            var summary = $"binary:{_binaryParts}:{_binaryBytes}";
            _binaryBytes = 0;
            _binaryParts = 0;
            await session.BasicRemote.SendTextAsync(summary);
        }
    }
}
