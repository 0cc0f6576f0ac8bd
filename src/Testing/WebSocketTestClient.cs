using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Annotated.WebSockets.Testing.Transport;

namespace Annotated.WebSockets.Testing;

/// <summary>
/// One connected test client: the real client container and engine over an in-memory connection to the host. It sends
/// what a test asks (text, binary, <see cref="Utf8Text"/>, objects, pings, raw frames) and keeps what arrives in an
/// inbox, in order, for the <c>Expect…</c> methods. Get one from <see cref="WebSocketTestHost.ConnectAsync"/>.
/// </summary>
/// <remarks>
/// Expectations take from the inbox, oldest first: <see cref="ExpectTextAsync"/> fails when the next entry is not a text
/// message, with the transcript of the connection in the message. <see cref="ExpectNothingMoreAsync"/> waits until the
/// host is quiescent (no sleeping) and fails when anything is left. A client is not thread-safe: one test drives it.
/// </remarks>
public sealed class WebSocketTestClient : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_webJson = new(JsonSerializerDefaults.Web);
    private readonly WebSocketTestHost _host;
    private readonly ITestConnection _connection;
    private readonly object _lock = new();
    private readonly Queue<ReceivedMessage> _inbox = new();
    private readonly List<Exception> _errors = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketSession? _session;
    private CloseReason? _closeReason;
    private bool _closeTaken;

    internal WebSocketTestClient(WebSocketTestHost host, ITestConnection connection, string path)
    {
        _host = host;
        _connection = connection;
        Path = path;
    }

    /// <summary>The path (and query) the client connected to.</summary>
    public string Path { get; }

    /// <summary>The client's session (its <see cref="WebSocketSession.NegotiatedSubprotocol"/>, extensions, remotes).</summary>
    public WebSocketSession Session => _session ?? throw new InvalidOperationException("The client is not connected yet.");

    /// <summary>The subprotocol the server selected ("" for none).</summary>
    public string Subprotocol => Session.NegotiatedSubprotocol;

    /// <summary>What went each way on this connection.</summary>
    public Transcript Transcript { get; } = new();

    /// <summary>Whether the client's session has closed (the close may still wait in the inbox).</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closeReason is not null;
            }
        }
    }

    /// <summary>The code and reason the client's session closed with, or null while it is open.</summary>
    public CloseReason? CloseReason
    {
        get
        {
            lock (_lock)
            {
                return _closeReason;
            }
        }
    }

    /// <summary>The errors the client's session reported (a bad frame from the server, a decoding failure).</summary>
    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>How many entries wait in the inbox.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _inbox.Count;
            }
        }
    }

    /// <summary>Sends a text message.</summary>
    /// <param name="text">The text.</param>
    /// <returns>A task that completes when the message is on the connection.</returns>
    public Task SendTextAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Transcript.Sent($"text \"{Transcript.Shorten(text)}\"");
        return Session.BasicRemote.SendTextAsync(text);
    }

    /// <summary>Sends a text message given as UTF-8 bytes.</summary>
    /// <param name="text">The text.</param>
    /// <returns>A task that completes when the message is on the connection.</returns>
    public Task SendTextAsync(Utf8Text text)
    {
        Transcript.Sent($"text (UTF-8) \"{Transcript.Shorten(text.ToString())}\"");
        return Session.BasicRemote.SendTextAsync(text);
    }

    /// <summary>Sends a binary message.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>A task that completes when the message is on the connection.</returns>
    public Task SendBinaryAsync(ReadOnlyMemory<byte> data)
    {
        Transcript.Sent($"binary {data.Length} bytes {Transcript.Hex(data.Span)}");
        return Session.BasicRemote.SendBinaryAsync(data);
    }

    /// <summary>Sends <paramref name="value"/> through the client's encoders (<see cref="WebSocketConnectOptions.Encoders"/>) or the built-in forms.</summary>
    /// <param name="value">The object.</param>
    /// <returns>A task that completes when the message is on the connection.</returns>
    public Task SendObjectAsync(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Transcript.Sent($"object {value.GetType().Name} {Transcript.Shorten(value.ToString() ?? string.Empty)}");
        return Session.BasicRemote.SendObjectAsync(value);
    }

    /// <summary>Sends <paramref name="value"/> as a JSON text message (web defaults: camelCase names).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">The serializer options; null for <see cref="JsonSerializerDefaults.Web"/>.</param>
    /// <returns>A task that completes when the message is on the connection.</returns>
    public Task SendJsonAsync<T>(T value, JsonSerializerOptions? options = null) =>
        SendTextAsync(JsonSerializer.Serialize(value, options ?? s_webJson));

    /// <summary>Sends <paramref name="value"/> as a JSON text message, with source-generated metadata.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">The serializer's metadata for <typeparamref name="T"/>.</param>
    /// <returns>A task that completes when the message is on the connection.</returns>
    public Task SendJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo) =>
        SendTextAsync(JsonSerializer.Serialize(value, typeInfo));

    /// <summary>Sends a ping; the server's pong arrives in the inbox (<see cref="ExpectPongAsync"/>).</summary>
    /// <param name="applicationData">Up to 125 bytes.</param>
    /// <returns>A task that completes when the ping is on the connection.</returns>
    public Task SendPingAsync(ReadOnlyMemory<byte> applicationData = default)
    {
        Transcript.Sent($"ping {applicationData.Length} bytes {Transcript.Hex(applicationData.Span)}");
        return Session.BasicRemote.SendPingAsync(applicationData);
    }

    /// <summary>Sends an unsolicited pong.</summary>
    /// <param name="applicationData">Up to 125 bytes.</param>
    /// <returns>A task that completes when the pong is on the connection.</returns>
    public Task SendPongAsync(ReadOnlyMemory<byte> applicationData = default)
    {
        Transcript.Sent($"pong {applicationData.Length} bytes {Transcript.Hex(applicationData.Span)}");
        return Session.BasicRemote.SendPongAsync(applicationData);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to the connection as they are, past the client's engine: frames built with
    /// <see cref="WebSocketFrames"/> to test how the server answers a protocol violation. Send them while the client
    /// sends nothing else; the client's engine does not know about them (a raw close frame is not a close of its own).
    /// </summary>
    /// <param name="bytes">The bytes (one or more frames, or a part of one).</param>
    /// <returns>A completed task: the bytes are on the connection.</returns>
    public Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        Transcript.Sent($"raw {bytes.Length} bytes");
        _connection.WriteRaw(bytes.Span);
        return Task.CompletedTask;
    }

    /// <summary>Starts the closing handshake; the server's answer arrives in the inbox (<see cref="ExpectCloseAsync"/>).</summary>
    /// <param name="code">The close code (1000 by default).</param>
    /// <param name="reason">The reason.</param>
    /// <returns>A task that completes when the close frame is on the connection.</returns>
    public Task CloseAsync(CloseCode code = CloseCode.NormalClosure, string? reason = null)
    {
        Transcript.Sent($"close {(int)code} ({code}) \"{reason}\"");
        return Session.CloseAsync(new CloseReason(code, reason));
    }

    /// <summary>Drops the connection without a close frame (a peer that vanished): the server sees the connection end (1006).</summary>
    /// <returns>A completed task.</returns>
    public Task AbortAsync()
    {
        Transcript.Sent("abort (the connection ends without a close frame)");
        _connection.Abort();
        return Task.CompletedTask;
    }

    /// <summary>Takes the next inbox entry, whatever it is, waiting for it at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait (real time); null for the host's <see cref="WebSocketTestHost.ExpectTimeout"/>.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="WebSocketExpectationException">Nothing arrived in time.</exception>
    /// <exception cref="InvalidOperationException">The client is closed and its close was already taken: nothing more can arrive.</exception>
    public async Task<ReceivedMessage> ExpectNextAsync(TimeSpan? timeout = null)
    {
        var wait = timeout ?? _host.ExpectTimeout;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                if (_inbox.TryDequeue(out var next))
                {
                    if (next.Kind == ReceivedKind.Close)
                    {
                        _closeTaken = true;
                    }

                    return next;
                }

                if (_closeTaken)
                {
                    throw new InvalidOperationException(
                        $"The client of {Path} is closed ({Describe(_closeReason!)}) and its close was already taken: nothing more can arrive. "
                        + "Connect a new client to go on.\nTranscript:\n" + Transcript);
                }

                arrived = _arrived.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await WaitAsync(arrived, left).ConfigureAwait(false))
            {
                throw new WebSocketExpectationException(
                    $"Nothing arrived at the client of {Path} within {wait} (real time)."
                    + (_host.UsesVirtualTime ? " Virtual time does not pass by itself: to expect what a timeout sends, AdvanceAsync the host first." : string.Empty),
                    Transcript);
            }
        }
    }

    /// <summary>Expects the next entry to be a text message (equal to <paramref name="expected"/> when given).</summary>
    /// <param name="expected">The text it must be; null for any.</param>
    /// <param name="timeout">How long to wait; null for the host's default.</param>
    /// <returns>The text.</returns>
    public async Task<string> ExpectTextAsync(string? expected = null, TimeSpan? timeout = null)
    {
        var next = await ExpectKindAsync(ReceivedKind.Text, timeout).ConfigureAwait(false);
        var text = next.Text;
        if (expected is not null && !string.Equals(text, expected, StringComparison.Ordinal))
        {
            throw new WebSocketExpectationException($"Expected the text \"{expected}\" at the client of {Path}, but got \"{text}\".", Transcript);
        }

        return text;
    }

    /// <summary>Expects the next entry to be a binary message (equal to <paramref name="expected"/> when given).</summary>
    /// <param name="expected">The bytes it must be; null for any.</param>
    /// <param name="timeout">How long to wait; null for the host's default.</param>
    /// <returns>The bytes.</returns>
    public async Task<byte[]> ExpectBinaryAsync(byte[]? expected = null, TimeSpan? timeout = null)
    {
        var next = await ExpectKindAsync(ReceivedKind.Binary, timeout).ConfigureAwait(false);
        var data = next.Data.ToArray();
        if (expected is not null && !data.AsSpan().SequenceEqual(expected))
        {
            throw new WebSocketExpectationException(
                $"Expected the binary message {Transcript.Hex(expected)} ({expected.Length} bytes) at the client of {Path}, but got {next}.", Transcript);
        }

        return data;
    }

    /// <summary>Expects the next entry to be a pong.</summary>
    /// <param name="timeout">How long to wait; null for the host's default.</param>
    /// <returns>The pong's application data.</returns>
    public async Task<byte[]> ExpectPongAsync(TimeSpan? timeout = null) =>
        (await ExpectKindAsync(ReceivedKind.Pong, timeout).ConfigureAwait(false)).Data.ToArray();

    /// <summary>
    /// Expects the next entry to be a message of type <typeparamref name="T"/>: <see cref="string"/>,
    /// <see cref="Utf8Text"/>, <see cref="T:byte[]"/>, <see cref="ReadOnlyMemory{T}"/> of bytes, <see cref="PongMessage"/>;
    /// any other type is read from a JSON text message (web defaults, or <paramref name="options"/>).
    /// </summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="options">The serializer options for a JSON message; null for <see cref="JsonSerializerDefaults.Web"/>.</param>
    /// <param name="timeout">How long to wait; null for the host's default.</param>
    /// <returns>The message.</returns>
    public async Task<T> ExpectNextAsync<T>(JsonSerializerOptions? options = null, TimeSpan? timeout = null)
    {
        if (typeof(T) == typeof(string))
        {
            return (T)(object)await ExpectTextAsync(timeout: timeout).ConfigureAwait(false);
        }

        if (typeof(T) == typeof(Utf8Text))
        {
            return (T)(object)new Utf8Text((await ExpectKindAsync(ReceivedKind.Text, timeout).ConfigureAwait(false)).Data);
        }

        if (typeof(T) == typeof(byte[]))
        {
            return (T)(object)await ExpectBinaryAsync(timeout: timeout).ConfigureAwait(false);
        }

        if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            return (T)(object)(await ExpectKindAsync(ReceivedKind.Binary, timeout).ConfigureAwait(false)).Data;
        }

        if (typeof(T) == typeof(PongMessage))
        {
            return (T)(object)new PongMessage(await ExpectPongAsync(timeout).ConfigureAwait(false));
        }

        var json = await ExpectKindAsync(ReceivedKind.Text, timeout).ConfigureAwait(false);
        return Deserialize(json, text => JsonSerializer.Deserialize<T>(text, options ?? s_webJson));
    }

    /// <summary>Expects the next entry to be a JSON text message of type <typeparamref name="T"/>, read with source-generated metadata.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="typeInfo">The serializer's metadata for <typeparamref name="T"/>.</param>
    /// <param name="timeout">How long to wait; null for the host's default.</param>
    /// <returns>The message.</returns>
    public async Task<T> ExpectJsonAsync<T>(JsonTypeInfo<T> typeInfo, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var json = await ExpectKindAsync(ReceivedKind.Text, timeout).ConfigureAwait(false);
        return Deserialize(json, text => JsonSerializer.Deserialize(text, typeInfo));
    }

    /// <summary>
    /// Expects the next entry to be the end of the session, with <paramref name="code"/> and <paramref name="reason"/>
    /// when given: the server's close (or the end of a connection that broke, 1006).
    /// </summary>
    /// <param name="code">The close code it must have; null for any.</param>
    /// <param name="reason">The reason it must have; null for any.</param>
    /// <param name="timeout">How long to wait; null for the host's default.</param>
    /// <returns>The code and reason.</returns>
    public async Task<CloseReason> ExpectCloseAsync(CloseCode? code = null, string? reason = null, TimeSpan? timeout = null)
    {
        var next = await ExpectKindAsync(ReceivedKind.Close, timeout).ConfigureAwait(false);
        var close = next.CloseReason!;
        if ((code is { } expectedCode && close.Code != expectedCode) || (reason is not null && !string.Equals(reason, close.ReasonPhrase, StringComparison.Ordinal)))
        {
            var wanted = $"{(code is { } c ? $"{(int)c} ({c})" : "any code")}{(reason is null ? string.Empty : $" \"{reason}\"")}";
            throw new WebSocketExpectationException($"Expected the client of {Path} to close with {wanted}, but it closed with {Describe(close)}.", Transcript);
        }

        return close;
    }

    /// <summary>
    /// Waits until the host is quiescent (every message sent so far handled, every reply delivered: no sleeping), then
    /// fails when anything is left in the inbox.
    /// </summary>
    /// <returns>A task that completes when nothing more is there.</returns>
    /// <exception cref="WebSocketExpectationException">Something arrived that no expectation took.</exception>
    public async Task ExpectNothingMoreAsync()
    {
        await _host.WaitForQuiescenceAsync().ConfigureAwait(false);
        lock (_lock)
        {
            if (_inbox.Count > 0)
            {
                throw new WebSocketExpectationException(
                    $"Expected nothing more at the client of {Path}, but {_inbox.Count} entr{(_inbox.Count == 1 ? "y" : "ies")} arrived: {string.Join("; ", _inbox)}.",
                    Transcript);
            }
        }
    }

    /// <summary>Closes the client (1000) when it is open and waits for the closing handshake (or its close timeout).</summary>
    /// <returns>A task that completes when the session is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_session is { IsOpen: true } session)
        {
            try
            {
                await session.CloseAsync(new CloseReason(CloseCode.NormalClosure, "The test client is disposed.")).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
            {
                // Closing already.
            }
        }
    }

    internal void Opened(WebSocketSession session) => _session = session;

    internal void Received(ReceivedMessage message)
    {
        TaskCompletionSource arrived;
        lock (_lock)
        {
            _inbox.Enqueue(message);
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Transcript.Received(message.ToString());
        arrived.TrySetResult();
    }

    internal void Failed(Exception error)
    {
        lock (_lock)
        {
            _errors.Add(error);
        }

        Transcript.Note($"error {error.GetType().Name}: {error.Message}");
    }

    internal void Closed(CloseReason reason)
    {
        lock (_lock)
        {
            _closeReason = reason;
        }

        Received(new ReceivedMessage(ReceivedKind.Close, ReadOnlyMemory<byte>.Empty, reason));
        _connection.ClientEnded();
    }

    private static string Describe(CloseReason reason) => $"{(int)reason.Code} ({reason.Code}) \"{reason.ReasonPhrase}\"";

    private static async Task<bool> WaitAsync(Task arrived, TimeSpan timeout)
    {
        try
        {
            await arrived.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<ReceivedMessage> ExpectKindAsync(ReceivedKind kind, TimeSpan? timeout)
    {
        var next = await ExpectNextAsync(timeout).ConfigureAwait(false);
        if (next.Kind != kind)
        {
            throw new WebSocketExpectationException(
                $"Expected {(kind is ReceivedKind.Close ? "a close" : $"a {kind.ToString().ToLowerInvariant()} message")} at the client of {Path}, but the next entry was: {next}.",
                Transcript);
        }

        return next;
    }

    private T Deserialize<T>(ReceivedMessage json, Func<string, T?> read)
    {
        try
        {
            return read(json.Text) ?? throw new JsonException("The message is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new WebSocketExpectationException(
                $"Expected a JSON {typeof(T).Name} at the client of {Path}, but got {json}: {ex.Message}", Transcript, ex);
        }
    }
}
