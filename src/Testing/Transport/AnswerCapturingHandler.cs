using System.Net;

namespace Annotated.WebSockets.Testing.Transport;

/// <summary>What a handshake handler saw of the server's answer (for a refusal's status, headers and body).</summary>
internal interface IHandshakeObserver
{
    /// <summary>The server's answer, once it came.</summary>
    HandshakeAnswer? Answer { get; }
}

/// <summary>Keeps the server's answer to a handshake sent over a real connection (the Kestrel transport).</summary>
internal sealed class AnswerCapturingHandler(HttpMessageHandler inner) : DelegatingHandler(inner), IHandshakeObserver
{
    public HandshakeAnswer? Answer { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            headers[name] = [.. values];
        }

        if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
        {
            Answer = new HandshakeAnswer(101, headers, string.Empty);
            return response;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            headers[name] = [.. values];
        }

        Answer = new HandshakeAnswer((int)response.StatusCode, headers, body);
        return response;
    }
}
