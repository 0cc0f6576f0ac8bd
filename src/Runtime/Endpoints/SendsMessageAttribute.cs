namespace Annotated.WebSockets;

/// <summary>
/// Declares a message type a server endpoint sends on its own, outside any reply: what it pushes with
/// <c>SendObjectAsync</c>, <c>SendTextAsync</c> or a group send. The declarations become the <c>send</c> operations of
/// the endpoint's AsyncAPI description and the messages its generated TypeScript client receives. Once an endpoint
/// declares one, the analyzers report a send of an undeclared type in its class (AWE0400). A handler's return value
/// is a reply and needs no declaration.
/// </summary>
/// <example>
/// <code>
/// [ServerEndpoint("/orders", Encoders = [typeof(OrderJson)])]
/// [SendsMessage(typeof(OrderShipped))]                              // its schema from OrderJson, an IJsonCoder
/// [SendsMessage(typeof(Notice), JsonContext = typeof(AppJson))]     // sent with groups.SendToGroupAsync(g, notice, AppJson.Default.Notice)
/// [SendsMessage(typeof(string))]                                    // plain text
/// public sealed class OrdersEndpoint { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class SendsMessageAttribute : Attribute
{
    /// <summary>Declares that the endpoint sends messages of <paramref name="messageType"/>.</summary>
    /// <param name="messageType">
    /// The type sent: <c>string</c> (text), <c>byte[]</c> (binary), or a type one of the endpoint's encoders or
    /// <see cref="JsonContext"/> writes.
    /// </param>
    public SendsMessageAttribute(Type messageType) => MessageType = messageType;

    /// <summary>The type sent.</summary>
    public Type MessageType { get; }

    /// <summary>
    /// A source-generated <c>JsonSerializerContext</c> (with a static <c>Default</c> instance) that holds the JSON
    /// contract of <see cref="MessageType"/>, for messages sent as JSON without an encoder (group sends take a
    /// <c>JsonTypeInfo</c>). When null, the contract comes from the endpoint's first encoder of the type that is an
    /// <see cref="IJsonCoder"/>.
    /// </summary>
    public Type? JsonContext { get; set; }
}
