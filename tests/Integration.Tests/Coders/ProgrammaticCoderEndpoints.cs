using System.Buffers.Binary;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Coders;

public readonly record struct Point(int X, int Y);

/// <summary>Something no encoder can write: its encoder always fails.</summary>
public sealed record Explosive(string Why);

/// <summary>What the coders of the programmatic endpoints did, for the lifecycle assertions; a DI singleton.</summary>
public sealed class CoderJournal
{
    private readonly TaskCompletionSource _destroyed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inits;
    private int _destroys;

    public int Inits => Volatile.Read(ref _inits);

    public int Destroys => Volatile.Read(ref _destroys);

    /// <summary>Completes at the first Destroy.</summary>
    public Task Destroyed => _destroyed.Task;

    public void Init() => Interlocked.Increment(ref _inits);

    public void Destroy()
    {
        Interlocked.Increment(ref _destroys);
        _destroyed.TrySetResult();
    }
}

/// <summary>Refuses every point (its WillDecode is asked first and says no), so the next decoder gets it.</summary>
public sealed class RefusingPointDecoder : IBinaryDecoder<Point>
{
    public static int Asked;

    public bool WillDecode(ReadOnlyMemory<byte> data)
    {
        Interlocked.Increment(ref Asked);
        return false;
    }

    public Point Decode(ReadOnlyMemory<byte> data) => throw new InvalidOperationException("never called: WillDecode said no");
}

/// <summary>Two big-endian int32s; made by ActivatorUtilities with a service from DI, counts its lifecycle there.</summary>
public sealed class PointDecoder(CoderJournal journal) : IBinaryDecoder<Point>
{
    public void Init(EndpointConfig config) => journal.Init();

    public void Destroy() => journal.Destroy();

    public bool WillDecode(ReadOnlyMemory<byte> data) => data.Length == 8;

    public Point Decode(ReadOnlyMemory<byte> data) =>
        new(BinaryPrimitives.ReadInt32BigEndian(data.Span), BinaryPrimitives.ReadInt32BigEndian(data.Span[4..]));
}

/// <summary>Writes a point as "x;y" bytes into the message stream.</summary>
public sealed class PointStreamEncoder : IBinaryStreamEncoder<Point>
{
    public async ValueTask EncodeAsync(Point value, Stream stream) =>
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"{value.X};{value.Y}"));
}

public sealed class ExplosiveEncoder : ITextEncoder<Explosive>
{
    public string Encode(Explosive value) => throw new FormatException(value.Why);
}

/// <summary>A developer's decoder to TextReader: the handler of TextReader must get its output, not the built-in stream.</summary>
public sealed class ShoutingReaderDecoder : ITextStreamDecoder<TextReader>
{
    public async ValueTask<TextReader> DecodeAsync(TextReader reader) => new StringReader((await reader.ReadToEndAsync()).ToUpperInvariant());
}

/// <summary>A decoder whose constructor needs a service nobody registered.</summary>
public sealed class UnresolvableDecoder(IFormatProvider missing) : ITextDecoder<Order>
{
    public bool WillDecode(string text) => missing is not null;

    public Order Decode(string text) => new(text, 0);
}

/// <summary>Orders from binary messages: with <see cref="OrderJson"/> on the same config, Order would be text and binary.</summary>
public sealed class BinaryOrderDecoder : IBinaryDecoder<Order>
{
    public bool WillDecode(ReadOnlyMemory<byte> data) => true;

    public Order Decode(ReadOnlyMemory<byte> data) => new("binary", data.Length);
}

/// <summary>
/// A programmatic endpoint whose configuration lists coders: handlers of Order (JSON text) and Point (binary) registered
/// in OnOpen, answers sent with SendObjectAsync through the configuration's encoders.
/// </summary>
public sealed class OrderDeskEndpoint : Endpoint
{
    public override Task OnOpen(WebSocketSession session, EndpointConfig config)
    {
        var recorder = Recorder.For(session.PathParameters["test"]);
        session.AddMessageHandler<Order>(async order =>
        {
            recorder.Add($"order:{order.Item}:{order.Quantity}");
            if (order.Item == "explode")
            {
                await session.BasicRemote.SendObjectAsync(new Explosive("no encoder can write this"));
            }

            await session.BasicRemote.SendObjectAsync(order with { Quantity = order.Quantity + 1 });
        });
        session.AddMessageHandler<Point>(point => session.AsyncRemote.SendObjectAsync(point with { X = point.X * 10 }));
        recorder.Add($"open:{string.Join(",", config.Decoders.Select(static d => d.Name))}");
        return Task.CompletedTask;
    }

    public override Task OnError(WebSocketSession session, Exception error)
    {
        var recorder = Recorder.For(session.PathParameters["test"]);
        recorder.Add($"error:{error.GetType().Name}:{error.InnerException?.GetType().Name}", error);
        if (error is DecodeException { Bytes: { } bytes })
        {
            recorder.Add($"undecodable-bytes:{Convert.ToHexString(bytes.Span)}");
        }

        return Task.CompletedTask;
    }
}

/// <summary>A programmatic endpoint with a handler of TextReader and a developer's decoder to TextReader.</summary>
public sealed class ReaderDeskEndpoint : Endpoint
{
    public override Task OnOpen(WebSocketSession session, EndpointConfig config)
    {
        session.AddMessageHandler<TextReader>(reader => session.BasicRemote.SendTextAsync(reader.ReadToEnd()));
        return Task.CompletedTask;
    }
}

/// <summary>The annotated form of <see cref="ReaderDeskEndpoint"/>: the decoder to TextReader wins here too.</summary>
[ServerEndpoint("/it/annotated-reader", Decoders = [typeof(ShoutingReaderDecoder)])]
public sealed class AnnotatedReaderEndpoint
{
    [OnMessage]
    public string Read(TextReader reader) => reader.ReadToEnd();
}
