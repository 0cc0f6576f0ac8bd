using System.Diagnostics.CodeAnalysis;
using Annotated.WebSockets;
using Annotated.WebSockets.Description;
using Annotated.WebSockets.Dispatch;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves the AsyncAPI document of the annotated WebSocket endpoints.</summary>
public static class AsyncApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the AsyncAPI 3.0.0 document of every registered <see cref="ServerEndpointAttribute"/> class at
    /// <paramref name="pattern"/> (see <see cref="AsyncApiDocument"/>), its <c>servers</c> filled from the request: the
    /// host it came to, <c>ws</c> or <c>wss</c> after its scheme, and the application's path base. Payload schemas are
    /// exported once, on the first request.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="pattern">The route; default <c>/asyncapi.json</c>.</param>
    /// <param name="configure">
    /// Sets the title, version and description; null for the defaults, <see cref="AsyncApiDocumentOptions.FromAssembly"/> of
    /// the entry assembly, the same as the build-time document's.
    /// </param>
    /// <returns>The endpoint's convention builder (to require authorization or CORS on it, for example).</returns>
    public static IEndpointConventionBuilder MapAsyncApiDocument(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern = "/asyncapi.json",
        Action<AsyncApiDocumentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var application = System.Reflection.Assembly.GetEntryAssembly();
        var api = new Lazy<DescribedApi>(static () => DescribedApi.Build(AnnotatedEndpointRegistry.Endpoints));
        return endpoints.MapGet(pattern, async context =>
        {
            var options = application is null ? new AsyncApiDocumentOptions() : AsyncApiDocumentOptions.FromAssembly(application);
            configure?.Invoke(options);
            var request = context.Request;
            if (options.Servers.Count == 0 && request.Host.HasValue)
            {
                var protocol = request.IsHttps ? "wss" : "ws";
                options.Servers.Add(new AsyncApiServer(protocol == "wss" ? "secure" : "default", request.Host.Value!, protocol,
                    request.PathBase.HasValue ? request.PathBase.Value : null));
            }

            var document = AsyncApiDocument.Write(api.Value, options);
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(document, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
