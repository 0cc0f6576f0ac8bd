using System.Security.Claims;

namespace Annotated.WebSockets.Generators.Tests.Infrastructure;

/// <summary>A session with fixed path parameters that records what is sent through it.</summary>
internal sealed class FakeSession : WebSocketSession
{
    private readonly FakeRemote _remote = new();

    public FakeSession(IReadOnlyDictionary<string, string>? pathParameters = null) =>
        PathParameters = pathParameters ?? new Dictionary<string, string>();

    /// <summary>What was sent, in order: a <see cref="string"/> per text message, a <see cref="T:byte[]"/> per binary one.</summary>
    public IReadOnlyList<object> Sent => _remote.Sent;

    public override string Id => "fake";

    public override bool IsOpen => true;

    public override bool IsSecure => false;

    public override Uri RequestUri { get; } = new("ws://127.0.0.1/test");

    public override string? QueryString => null;

    public override IReadOnlyDictionary<string, string> PathParameters { get; }

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> RequestParameters { get; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public override IDictionary<string, object?> UserProperties { get; } = new Dictionary<string, object?>();

    public override IReadOnlyCollection<WebSocketSession> OpenSessions => [this];

    public override string NegotiatedSubprotocol => string.Empty;

    public override ClaimsPrincipal? User => null;

    public override IBasicRemoteEndpoint BasicRemote => _remote;

    public override Task CloseAsync(CloseReason reason) => Task.CompletedTask;

    private sealed class FakeRemote : IBasicRemoteEndpoint
    {
        public List<object> Sent { get; } = [];

        public Task SendTextAsync(string text, CancellationToken cancellationToken = default)
        {
            Sent.Add(text);
            return Task.CompletedTask;
        }

        public Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            Sent.Add(data.ToArray());
            return Task.CompletedTask;
        }

        public Task SendPingAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendPongAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}

/// <summary>An endpoint configuration with no coders.</summary>
internal sealed class FakeEndpointConfig : EndpointConfig
{
    public override IReadOnlyList<Type> Encoders => [];

    public override IReadOnlyList<Type> Decoders => [];

    public override IDictionary<string, object?> UserProperties { get; } = new Dictionary<string, object?>();
}
