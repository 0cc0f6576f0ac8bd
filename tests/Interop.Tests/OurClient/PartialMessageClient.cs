namespace Annotated.WebSockets.Interop.Tests.OurClient;

/// <summary>Our annotated client endpoint taking messages in parts, as the frames arrive; records each part.</summary>
[ClientEndpoint]
public sealed class PartialMessageClient
{
    public ClientEvents Events { get; } = new();

    [OnMessage]
    public void Text(string part, bool last) => Events.Add($"text-part:{last}:{part}");

    [OnMessage]
    public void Binary(byte[] part, bool last) => Events.Add($"binary-part:{last}:{Convert.ToHexString(part)}");

    [OnClose]
    public void Close(CloseReason reason) => Events.Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}");

    [OnError]
    public void Error(Exception error) => Events.Add($"error:{error.GetType().Name}:{error.Message}");
}
