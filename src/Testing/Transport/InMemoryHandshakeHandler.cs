using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;

namespace Annotated.WebSockets.Testing.Transport;

/// <summary>
/// Sends the client's opening handshake to the application in memory: the request goes through the whole ASP.NET Core
/// pipeline of a <see cref="TestServer"/> (middleware, authentication, routing, the server container's handshake), with
/// an upgrade feature that hands the server an in-memory connection instead of a socket. A 101 comes back with the
/// other end of that connection as its content stream (what SocketsHttpHandler gives for a real upgrade); any other
/// answer comes back as it is, with its status, headers and body. One handler per connection.
/// </summary>
internal sealed class InMemoryHandshakeHandler(TestServer server, InMemoryConnection connection, ClaimsPrincipal? user) : HttpMessageHandler, IHandshakeObserver
{
    /// <summary>The server's answer, once it came: its status code, headers and (for a refusal) body.</summary>
    public HandshakeAnswer? Answer { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var upgraded = new TaskCompletionSource<HandshakeAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverRequest = server.SendAsync(
            context =>
            {
                var httpRequest = context.Request;
                httpRequest.Method = request.Method.Method;
                httpRequest.Protocol = "HTTP/1.1";
                httpRequest.Path = PathString.FromUriComponent(uri);
                httpRequest.QueryString = QueryString.FromUriComponent(uri);
                foreach (var (name, values) in request.Headers.NonValidated)
                {
                    httpRequest.Headers.Append(name, values.ToArray());
                }

                if (user is not null)
                {
                    context.User = user;
                }

                context.Features.Set<IHttpUpgradeFeature>(new InMemoryUpgradeFeature(context, connection, upgraded));
            },
            CancellationToken.None);
        connection.TrackServer(serverRequest);

        var first = await Task.WhenAny(upgraded.Task, serverRequest).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first == upgraded.Task)
        {
            var answer = await upgraded.Task.ConfigureAwait(false);
            Answer = answer;
            var response = new HttpResponseMessage(HttpStatusCode.SwitchingProtocols)
            {
                Version = HttpVersion.Version11,
                RequestMessage = request,
                Content = new UpgradedContent(connection.ClientStream),
            };
            AddHeaders(response, answer.Headers);
            return response;
        }

        // Refused: the application answered without upgrading (its pipeline completed).
        var context = await serverRequest.ConfigureAwait(false);
        string body;
        using (var reader = new StreamReader(context.Response.Body))
        {
            body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        var refusal = new HandshakeAnswer(context.Response.StatusCode, CopyHeaders(context.Response.Headers), body);
        Answer = refusal;
        var refused = new HttpResponseMessage((HttpStatusCode)refusal.StatusCode)
        {
            Version = HttpVersion.Version11,
            RequestMessage = request,
            Content = new StringContent(body),
        };
        AddHeaders(refused, refusal.Headers);
        return refused;
    }

    private static void AddHeaders(HttpResponseMessage response, IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        foreach (var (name, values) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, values))
            {
                response.Content?.Headers.TryAddWithoutValidation(name, values);
            }
        }
    }

    private static Dictionary<string, IReadOnlyList<string>> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = values.Where(static value => value is not null).Select(static value => value!).ToArray();
        }

        return copy;
    }

    /// <summary>The server's side of the upgrade: takes the 101 and its headers, gives the server its end of the connection.</summary>
    private sealed class InMemoryUpgradeFeature(HttpContext context, InMemoryConnection connection, TaskCompletionSource<HandshakeAnswer> upgraded) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => true;

        public Task<Stream> UpgradeAsync()
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status101SwitchingProtocols;
            response.Headers.Connection = "Upgrade";
            upgraded.TrySetResult(new HandshakeAnswer(StatusCodes.Status101SwitchingProtocols, CopyHeaders(response.Headers), string.Empty));
            return Task.FromResult<Stream>(connection.ServerStream);
        }
    }

    /// <summary>The content of a 101: its stream is the client's end of the connection.</summary>
    private sealed class UpgradedContent(Stream stream) : HttpContent
    {
        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(stream);

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => Task.FromResult(stream);

        protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) =>
            throw new NotSupportedException("The content of an upgraded connection is the connection itself.");

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>The server's answer to a handshake, as the handler saw it.</summary>
internal sealed record HandshakeAnswer(int StatusCode, IReadOnlyDictionary<string, IReadOnlyList<string>> Headers, string Body);
