namespace Annotated.WebSockets.Reliability.Tests.Authorization;

/// <summary>No attributes but its own: served even by a host without authentication services.</summary>
[ServerEndpoint("/auth/unguarded")]
public sealed class UnguardedEndpoint
{
    [OnMessage]
    public string Echo(string text) => text;
}
