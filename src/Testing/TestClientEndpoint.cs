using System.Text;
using Annotated.WebSockets.Client;

namespace Annotated.WebSockets.Testing;

/// <summary>The client endpoint behind a <see cref="WebSocketTestClient"/>: it puts everything that arrives in the client's inbox.</summary>
internal sealed class TestClientEndpoint(WebSocketTestClient client) : Endpoint
{
    public override Task OnOpen(WebSocketSession session, EndpointConfig config)
    {
        client.Opened(session);
        session.AddMessageHandler<string>(text => client.Received(new ReceivedMessage(ReceivedKind.Text, Encoding.UTF8.GetBytes(text))));
        session.AddMessageHandler<byte[]>(data => client.Received(new ReceivedMessage(ReceivedKind.Binary, data)));
        session.AddMessageHandler<PongMessage>(pong => client.Received(new ReceivedMessage(ReceivedKind.Pong, pong.ApplicationData.ToArray())));
        return Task.CompletedTask;
    }

    public override Task OnClose(WebSocketSession session, CloseReason closeReason)
    {
        client.Closed(closeReason);
        return Task.CompletedTask;
    }

    public override Task OnError(WebSocketSession session, Exception error)
    {
        client.Failed(error);
        return Task.CompletedTask;
    }
}

/// <summary>Adds a test's request headers to the handshake.</summary>
internal sealed class HeaderConfigurator(IEnumerable<KeyValuePair<string, string>> headers) : ClientEndpointConfigurator
{
    public override void BeforeRequest(IDictionary<string, IList<string>> requestHeaders)
    {
        foreach (var (name, value) in headers)
        {
            requestHeaders[name] = [value];
        }
    }
}
