using Annotated.WebSockets.Client;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>Adds the given request headers and keeps the handshake responses it sees.</summary>
public sealed class RecordingConfigurator(params (string Name, string Value)[] headers) : ClientEndpointConfigurator
{
    public List<HandshakeResponse> Responses { get; } = [];

    public IDictionary<string, IList<string>>? RequestHeaders { get; private set; }

    public override void BeforeRequest(IDictionary<string, IList<string>> requestHeaders)
    {
        foreach (var (name, value) in headers)
        {
            requestHeaders[name] = [value];
        }

        RequestHeaders = requestHeaders;
    }

    public override void AfterResponse(HandshakeResponse response) => Responses.Add(response);
}
