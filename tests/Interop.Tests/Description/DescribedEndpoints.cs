using System.Text.Json;
using System.Text.Json.Serialization;

namespace Annotated.WebSockets.Interop.Tests.Description;

// Test-only endpoints covering every handler form, described by the generator and hosted in-process
// (InProcessServerFixture). Their AsyncAPI document and TypeScript client are checked with the reference tools.

/// <summary>JSON in and out: a decoded order, a typed path parameter, subprotocols, a JSON reply and two declared pushes.</summary>
[ServerEndpoint("/describe/orders/{shop}", Subprotocols = ["orders.v2", "orders.v1"], Decoders = [typeof(OrderJson)], Encoders = [typeof(ReceiptJson), typeof(NoticeJson)])]
[SendsMessage(typeof(Notice))]
[SendsMessage(typeof(RoomEvent), JsonContext = typeof(DescriptionJson))]
public sealed class OrdersEndpoint
{
    /// <summary>Greets with a notice, so a client sees a push before any reply.</summary>
    [OnOpen]
    public Task Open(WebSocketSession session, [PathParam("shop")] int shop) =>
        session.BasicRemote.SendObjectAsync(new Notice($"shop {shop} is open", NoticeLevel.Info));

    /// <summary>Places an order: the receipt is the reply.</summary>
    [OnMessage(MaxMessageSize = 1024)]
    public Receipt Place(Order order, [PathParam("shop")] int shop) =>
        new(order.Id, shop, order.Lines.Sum(static line => line.Quantity * line.UnitPrice), order.Note);
}

/// <summary>Bytes and numbers: a binary echo, a text parsed as an int and answered with a number, a Guid path parameter.</summary>
[ServerEndpoint("/describe/bytes/{id}")]
public sealed class BytesEndpoint
{
    /// <summary>Doubles a number.</summary>
    [OnMessage]
    public long Double(int number, [PathParam("id")] Guid id) => number * 2L;

    /// <summary>Echoes bytes.</summary>
    [OnMessage(MaxMessageSize = 2048)]
    public byte[] Echo(byte[] data) => data;
}

/// <summary>Streams and parts: a text reader, binary parts with their last flag; nothing is sent back.</summary>
[ServerEndpoint("/describe/streams")]
public sealed class StreamsEndpoint
{
    /// <summary>Reads a text message as a stream.</summary>
    [OnMessage]
    public void Read(TextReader reader) => reader.ReadToEnd();

    /// <summary>Takes binary parts.</summary>
    [OnMessage]
    public void Part(ReadOnlyMemory<byte> part, bool last)
    {
    }
}

/// <summary>UTF-8 text in, a string out; a tree pushed, whose schema refers to itself.</summary>
[ServerEndpoint("/describe/utf8", Encoders = [typeof(TreeJson)])]
[SendsMessage(typeof(TreeNode))]
public sealed class Utf8Endpoint
{
    /// <summary>Answers with the length.</summary>
    [OnMessage]
    public string Length(Utf8Text text) => text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A text decoder with no JSON contract: its payload is described as unspecified (AWE0401).</summary>
[ServerEndpoint("/describe/plain", Decoders = [typeof(CsvDecoder)])]
public sealed class PlainCoderEndpoint
{
    /// <summary>Takes a CSV line.</summary>
    [OnMessage]
    public void Take(CsvLine line)
    {
    }
}

#pragma warning disable SA1402, SA1649 // the message types of the endpoints above, kept beside them

/// <summary>An order.</summary>
public sealed record Order(string Id, IReadOnlyList<OrderLine> Lines, DateTimeOffset PlacedAt, string? Note = null);

/// <summary>A line of an order.</summary>
public sealed record OrderLine(string Product, int Quantity, decimal UnitPrice);

/// <summary>What placing an order answers.</summary>
public sealed record Receipt(string OrderId, int Shop, decimal Total, string? Note);

/// <summary>A notice pushed by the server.</summary>
public sealed record Notice(string Text, NoticeLevel Level);

/// <summary>How loud a notice is (written as its name).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NoticeLevel>))]
public enum NoticeLevel
{
    /// <summary>For information.</summary>
    Info,

    /// <summary>A warning.</summary>
    Warning,
}

/// <summary>Something that happened in a room: polymorphic, with a type discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Joined), "joined")]
[JsonDerivedType(typeof(Left), "left")]
public abstract record RoomEvent(string Room);

/// <summary>Someone joined.</summary>
public sealed record Joined(string Room, string Name) : RoomEvent(Room);

/// <summary>Someone left.</summary>
public sealed record Left(string Room, string Name, int Seconds) : RoomEvent(Room);

/// <summary>A tree: its schema refers to itself.</summary>
public sealed record TreeNode(string Label, IReadOnlyList<TreeNode> Children);

/// <summary>A line of comma-separated values, decoded by hand.</summary>
public sealed record CsvLine(IReadOnlyList<string> Cells);

/// <summary>The JSON contracts of the test messages, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Receipt))]
[JsonSerializable(typeof(Notice))]
[JsonSerializable(typeof(RoomEvent))]
[JsonSerializable(typeof(TreeNode))]
public sealed partial class DescriptionJson : JsonSerializerContext;

/// <summary>Orders as JSON.</summary>
public sealed class OrderJson() : JsonTextCoder<Order>(DescriptionJson.Default.Order);

/// <summary>Receipts as JSON.</summary>
public sealed class ReceiptJson() : JsonTextCoder<Receipt>(DescriptionJson.Default.Receipt);

/// <summary>Notices as JSON.</summary>
public sealed class NoticeJson() : JsonTextCoder<Notice>(DescriptionJson.Default.Notice);

/// <summary>Trees as JSON.</summary>
public sealed class TreeJson() : JsonTextCoder<TreeNode>(DescriptionJson.Default.TreeNode);

/// <summary>A text decoder that is not an <see cref="IJsonCoder"/>.</summary>
public sealed class CsvDecoder : ITextDecoder<CsvLine>
{
    /// <inheritdoc />
    public bool WillDecode(string text) => true;

    /// <inheritdoc />
    public CsvLine Decode(string text) => new(text.Split(','));
}
