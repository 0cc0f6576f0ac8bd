using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Annotated.WebSockets.Interop.Tests.OurClient;

public sealed record Reading(string Sensor, double Value);

[JsonSerializable(typeof(Reading))]
internal sealed partial class ReadingJsonContext : JsonSerializerContext;

/// <summary>JSON text coder of <see cref="Reading"/> (made by ActivatorUtilities).</summary>
public sealed class ReadingCoder() : JsonTextCoder<Reading>(ReadingJsonContext.Default.Reading);

public readonly record struct Sample(short Channel, short Level);

/// <summary>Two big-endian int16s; made by a factory that hands it the endpoint's event log, where it notes the bytes it decodes.</summary>
public sealed class SampleCoder(ClientEvents events) : IBinaryEncoder<Sample>, IBinaryDecoder<Sample>
{
    public void Init(EndpointConfig config) => events.Add("init");

    public void Destroy() => events.Add("destroy");

    public ReadOnlyMemory<byte> Encode(Sample value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value.Channel);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(2), value.Level);
        return bytes;
    }

    public bool WillDecode(ReadOnlyMemory<byte> data) => data.Length == 4;

    public Sample Decode(ReadOnlyMemory<byte> data)
    {
        events.Add($"wire:{Convert.ToHexString(data.Span)}");
        return new(BinaryPrimitives.ReadInt16BigEndian(data.Span), BinaryPrimitives.ReadInt16BigEndian(data.Span[2..]));
    }
}

/// <summary>A programmatic client endpoint whose ClientEndpointConfig lists coders; records what its handlers get.</summary>
public sealed class CodedClient : Endpoint
{
    public ClientEvents Events { get; } = new();

    public override Task OnOpen(WebSocketSession session, EndpointConfig config)
    {
        session.AddMessageHandler<Reading>(reading => Events.Add($"reading:{reading.Sensor}:{reading.Value.ToString(CultureInfo.InvariantCulture)}"));
        session.AddMessageHandler<Sample>(sample => Events.Add($"sample:{sample.Channel}:{sample.Level}"));
        Events.Add($"open:{string.Join(",", config.Decoders.Select(static d => d.Name))}");
        return Task.CompletedTask;
    }

    public override Task OnError(WebSocketSession session, Exception error)
    {
        Events.Add($"error:{error.GetType().Name}");
        return Task.CompletedTask;
    }

    public override Task OnClose(WebSocketSession session, CloseReason closeReason)
    {
        Events.Add($"close:{(int)closeReason.Code}");
        return Task.CompletedTask;
    }
}
