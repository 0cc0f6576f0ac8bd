namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Returns values synchronously (binary: the length as text) and asynchronously (text: upper case).</summary>
[ServerEndpoint("/it/returns")]
public sealed class ReturnValuesEndpoint
{
    [OnMessage]
    public async Task<string> Upper(string text)
    {
        await Task.Yield();
        return text.ToUpperInvariant();
    }

    [OnMessage]
    public int Length(byte[] data) => data.Length;
}
