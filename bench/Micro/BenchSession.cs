using System.Security.Claims;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>The smallest session a dispatcher can be called with: nothing is sent, every property is fixed.</summary>
public sealed class BenchSession : WebSocketSession
{
    private readonly NullRemote _remote = new();

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

    /// <inheritdoc/>
    public override IBasicRemoteEndpoint BasicRemote => _remote;

    /// <inheritdoc/>
    public override Task CloseAsync(CloseReason reason) => Task.CompletedTask;

    // Sends go nowhere: the dispatch benchmark measures the call, not a transport.
    private sealed class NullRemote : IBasicRemoteEndpoint
    {
        public Task SendTextAsync(string text, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendPingAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendPongAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
