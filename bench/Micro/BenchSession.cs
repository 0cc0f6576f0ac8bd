using System.Security.Claims;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// The smallest session a dispatcher can be called with: every property is fixed; it sends through the remote it was
/// given (a <see cref="CountingRemote"/>) or, without one, cannot send.
/// </summary>
/// <param name="remote">Where sends go; null for a session whose handler must not send.</param>
/// <param name="pathParameters">The path parameters of the request; none when null.</param>
public sealed class BenchSession(IBasicRemoteEndpoint? remote = null, IReadOnlyDictionary<string, string>? pathParameters = null) : WebSocketSession
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
    public override IReadOnlyDictionary<string, string> PathParameters { get; } = pathParameters ?? new Dictionary<string, string>();

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

    /// <summary>The remote given at construction; without one the benchmarked handler must send nothing.</summary>
    public override IBasicRemoteEndpoint BasicRemote =>
        remote ?? throw new NotSupportedException("This benchmark session has no remote endpoint; its handler sends nothing.");

    /// <inheritdoc/>
    public override Task CloseAsync(CloseReason reason) => Task.CompletedTask;
}
