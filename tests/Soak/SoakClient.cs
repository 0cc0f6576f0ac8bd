using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Annotated.WebSockets.Soak;

/// <summary>
/// One client worker: until told to stop, connects to a random room, exchanges a random number of text and binary
/// messages of mixed sizes (some fragmented, some broadcast to the room) checking every echo, then ends the session
/// in one of three ways: a normal close (1000 both ways), vanishing between messages, or vanishing in the middle of a
/// fragmented message. Each ending is counted; anything unexpected is a failure.
/// </summary>
internal sealed class SoakClient(int worker, Uri server, HttpMessageInvoker invoker, SoakStats stats, int rooms)
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(30);

    // An echo is as long as what was sent, but a broadcast of another client's message arrives in between: up to
    // the server's 1 MiB message limit plus the broadcast prefix.
    private const int MaxReceived = (1024 * 1024) + 1024;

    private readonly Random _random = new(worker);
    private long _session;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await RunSessionAsync(stop);
            await Pause(50);
        }
    }

    private async Task RunSessionAsync(CancellationToken stop)
    {
        var session = $"{worker}.{_session++}";
        var room = $"room{_random.Next(rooms)}";
        using var socket = new ClientWebSocket();
        try
        {
            using (var timeout = new CancellationTokenSource(OperationTimeout))
            {
                await socket.ConnectAsync(new Uri(server, room), invoker, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException or IOException)
        {
            stats.Fail($"session {session}: connect failed: {e.GetType().Name}: {e.Message}");
            return;
        }

        stats.Connected();
        try
        {
            var messages = _random.Next(1, 41);
            for (var i = 0; i < messages && !stop.IsCancellationRequested; i++)
            {
                await ExchangeAsync(socket, session, room, i);
                await Pause(50);
            }

            var ending = _random.Next(100);
            if (ending < 70)
            {
                using var timeout = new CancellationTokenSource(OperationTimeout);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                if (socket.CloseStatus != WebSocketCloseStatus.NormalClosure)
                {
                    stats.Fail($"session {session}: the server answered the close with {socket.CloseStatus}");
                    return;
                }

                stats.ClosedNormally();
            }
            else if (ending < 85)
            {
                socket.Abort();
                stats.VanishedBetweenMessages();
            }
            else
            {
                // The first part of a message, then gone: the server must drop the half message and the session.
                using var timeout = new CancellationTokenSource(OperationTimeout);
                var part = Payloads.Binary($"{session}:partial:", _random.Next(1, 2048), _random);
                await socket.SendAsync(part, WebSocketMessageType.Binary, endOfMessage: false, timeout.Token);
                socket.Abort();
                stats.VanishedInMessage();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or InvalidDataException)
        {
            stats.Fail($"session {session}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            stats.Ended();
        }
    }

    private async Task ExchangeAsync(ClientWebSocket socket, string session, string room, int number)
    {
        var text = _random.Next(2) == 0;
        var broadcast = text && _random.Next(20) == 0;
        var header = $"{(broadcast ? SoakEndpoint.BroadcastPrefix : "")}{session}:{number}:";
        var length = Payloads.NextLength(_random);
        var message = text ? Payloads.Text(header, length, _random) : Payloads.Binary(header, length, _random);
        var type = text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;

        using var timeout = new CancellationTokenSource(OperationTimeout);
        // One in five messages goes out in two to four fragments, cut anywhere (even inside a UTF-8 sequence).
        var fragments = _random.Next(5) == 0 ? _random.Next(2, 5) : 1;
        var sent = 0;
        for (var f = 1; f <= fragments; f++)
        {
            var end = f == fragments ? message.Length : _random.Next(sent, message.Length + 1);
            await socket.SendAsync(message.AsMemory(sent, end - sent), type, endOfMessage: f == fragments, timeout.Token);
            sent = end;
        }

        while (true)
        {
            var (receivedType, received, receivedLength) = await ReceiveAsync(socket, MaxReceived, timeout.Token);
            try
            {
                if (receivedType == WebSocketMessageType.Text && received.AsSpan(0, receivedLength).StartsWith("B|"u8))
                {
                    // Another client's broadcast to this room, interleaved with the echoes.
                    if (!received.AsSpan(0, receivedLength).StartsWith(Encoding.ASCII.GetBytes($"B|{room}|{SoakEndpoint.BroadcastPrefix}")))
                    {
                        throw new InvalidDataException($"a broadcast for another room: {Encoding.UTF8.GetString(received, 0, Math.Min(receivedLength, 60))}");
                    }

                    stats.BroadcastReceived();
                    continue;
                }

                if (receivedType != type || !received.AsSpan(0, receivedLength).SequenceEqual(message))
                {
                    throw new InvalidDataException(
                        $"message {number}: expected the {type} echo of {message.Length} bytes starting '{Encoding.UTF8.GetString(message, 0, Math.Min(message.Length, 40))}', "
                        + $"got {receivedType} of {receivedLength} bytes starting '{Encoding.UTF8.GetString(received, 0, Math.Min(receivedLength, 40))}'");
                }

                stats.Verified(message.Length);
                return;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(received);
            }
        }
    }

    // Reads one whole message (at most `limit` bytes) into a pooled buffer the caller returns.
    private static async Task<(WebSocketMessageType Type, byte[] Buffer, int Length)> ReceiveAsync(ClientWebSocket socket, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 4096));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= limit)
                    {
                        throw new InvalidDataException($"a message longer than {limit} bytes");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(limit, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidDataException($"the server closed the session: {socket.CloseStatus} {socket.CloseStatusDescription}");
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    return (result.MessageType, buffer, length);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private Task Pause(int maxMilliseconds) => Task.Delay(_random.Next(maxMilliseconds + 1));
}
