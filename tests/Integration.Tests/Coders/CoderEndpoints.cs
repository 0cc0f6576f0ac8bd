using System.Globalization;
using System.Text.Json.Serialization;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Coders;

public sealed record Order(string Item, int Quantity);

[JsonSerializable(typeof(Order))]
internal sealed partial class CoderJson : JsonSerializerContext;

/// <summary>The built-in System.Text.Json coder bound to source-generated metadata (AOT-clean).</summary>
public sealed class OrderJson() : JsonTextCoder<Order>(CoderJson.Default.Order);

/// <summary>A binary encoder of <see cref="Order"/> that counts its lifecycle calls.</summary>
public sealed class LifecycleEncoder : IBinaryEncoder<Uri>
{
    private static int s_inits;
    private static int s_destroys;

    public static int Inits => Volatile.Read(ref s_inits);

    public static int Destroys => Volatile.Read(ref s_destroys);

    public void Init(EndpointConfig config) => Interlocked.Increment(ref s_inits);

    public void Destroy() => Interlocked.Increment(ref s_destroys);

    public ReadOnlyMemory<byte> Encode(Uri value) => System.Text.Encoding.UTF8.GetBytes(value.Host);
}

/// <summary>Decodes JSON orders, answers with an encoded order; "uri" sends a Uri through the binary encoder.</summary>
[ServerEndpoint("/it/coders/{test}", Decoders = [typeof(OrderJson)], Encoders = [typeof(OrderJson), typeof(LifecycleEncoder)])]
public sealed class JsonOrderEndpoint
{
    [OnMessage]
    public async Task<Order> Message(Order order, WebSocketSession session)
    {
        if (order.Item == "uri")
        {
            await session.BasicRemote.SendObjectAsync(new Uri("http://coded.example/"));
        }

        return order with { Quantity = order.Quantity + 1 };
    }

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => Recorder.For(test).Add($"error:{error.GetType().Name}", error);

    [OnClose]
    public void Close([PathParam("test")] string test) => Recorder.For(test).Add("close");
}

/// <summary>Whole text as a primitive: a message that does not parse reaches OnError as a DecodeException.</summary>
[ServerEndpoint("/it/int/{test}")]
public sealed class IntEndpoint
{
    [OnMessage]
    public string Number(int number) => (number + 1).ToString(CultureInfo.InvariantCulture);

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => Recorder.For(test).Add($"error:{error.GetType().Name}", error);
}
