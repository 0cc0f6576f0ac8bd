using System.Security.Claims;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>The smallest session a dispatcher can be called with: every property is fixed and it cannot send.</summary>
public sealed class BenchSession : WebSocketSession
{
    /// <inheritdoc/>
    public override string Id => "bench";

    /// <inheritdoc/>
    public override bool IsOpen => true;

    /// <inheritdoc/>
    public override bool IsSecure => false;

    /// <inheritdoc/>
    public override Uri RequestUri { get; } = new("ws://127.0.0.1/bench");

    /// <inheritdoc/>
    public override string? QueryString => null;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> PathParameters { get; } = new Dictionary<string, string>();

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, IReadOnlyList<string>> RequestParameters { get; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <inheritdoc/>
    public override IDictionary<string, object?> UserProperties { get; } = new Dictionary<string, object?>();

    /// <inheritdoc/>
    public override IReadOnlyCollection<WebSocketSession> OpenSessions => [this];

    /// <inheritdoc/>
    public override string NegotiatedSubprotocol => string.Empty;

    /// <inheritdoc/>
    public override ClaimsPrincipal? User => null;

    /// <summary>Not available: the benchmarked handler sends nothing, and a send would measure a transport.</summary>
    public override IBasicRemoteEndpoint BasicRemote =>
        throw new NotSupportedException("The dispatch benchmark's session has no remote endpoint; its handler sends nothing.");

    /// <inheritdoc/>
    public override Task CloseAsync(CloseReason reason) => Task.CompletedTask;
}
