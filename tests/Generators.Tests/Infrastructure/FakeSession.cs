using System.Security.Claims;
using System.Text;

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
        private readonly StringBuilder _textParts = new();
        private readonly List<byte> _binaryParts = [];

        public List<object> Sent { get; } = [];

        public bool BatchingAllowed { get; set; }

        public Task FlushBatchAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendTextAsync(string text, CancellationToken cancellationToken = default)
        {
            Sent.Add(text);
            return Task.CompletedTask;
        }

        // Recorded as the text it carries: a text message, whichever overload sent it.
        public Task SendTextAsync(Utf8Text text, CancellationToken cancellationToken = default) => SendTextAsync(text.ToString(), cancellationToken);

        public Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            Sent.Add(data.ToArray());
            return Task.CompletedTask;
        }

        // Recorded like the message it carries.
        public Task SendAsync(PreparedMessage message, CancellationToken cancellationToken = default) =>
            message.Kind == MessageKind.Text
                ? SendTextAsync(new Utf8Text(message.Payload), cancellationToken)
                : SendBinaryAsync(message.Payload, cancellationToken);

        // The generated dispatcher sends encoder-backed results through its own TrySendObjectAsync, never through here.
        public Task SendObjectAsync(object value, CancellationToken cancellationToken = default) =>
            throw new EncodeException(value, "The fake session has no encoders.");

        public Task SendTextAsync(string fragment, bool isLast, CancellationToken cancellationToken = default)
        {
            _textParts.Append(fragment);
            if (isLast)
            {
                Sent.Add(_textParts.ToString());
                _textParts.Clear();
            }

            return Task.CompletedTask;
        }

        public Task SendTextAsync(Utf8Text fragment, bool isLast, CancellationToken cancellationToken = default) =>
            SendTextAsync(fragment.ToString(), isLast, cancellationToken);

        public Task SendBinaryAsync(ReadOnlyMemory<byte> fragment, bool isLast, CancellationToken cancellationToken = default)
        {
            _binaryParts.AddRange(fragment.ToArray());
            if (isLast)
            {
                Sent.Add(_binaryParts.ToArray());
                _binaryParts.Clear();
            }

            return Task.CompletedTask;
        }

        /// <summary>A stream whose bytes become one binary message when it is disposed.</summary>
        public Stream GetSendStream() => new RecordingStream(Sent);

        /// <summary>A writer whose text becomes one text message when it is disposed.</summary>
        public TextWriter GetSendWriter() => new RecordingWriter(Sent);

        public Task SendPingAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendPongAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private sealed class RecordingStream(List<object> sent) : MemoryStream
    {
        private bool _ended;

        protected override void Dispose(bool disposing)
        {
            if (!_ended)
            {
                _ended = true;
                sent.Add(ToArray());
            }

            base.Dispose(disposing);
        }
    }

    private sealed class RecordingWriter(List<object> sent) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        private bool _ended;

        protected override void Dispose(bool disposing)
        {
            if (!_ended)
            {
                _ended = true;
                sent.Add(ToString());
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>An endpoint configuration with no coders.</summary>
internal sealed class FakeEndpointConfig : EndpointConfig
{
    public override IReadOnlyList<Type> Encoders => [];

    public override IReadOnlyList<Type> Decoders => [];

    public override IDictionary<string, object?> UserProperties { get; } = new Dictionary<string, object?>();
}
