namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>samples/Chat: rooms at /chat/{room} and the browser page at /.</summary>
public sealed class ChatServerFixture : SampleServerFixture
{
    /// <summary>Creates the fixture; the sample starts on first use.</summary>
    public ChatServerFixture()
        : base("Annotated.Samples.Chat")
    {
    }
}
