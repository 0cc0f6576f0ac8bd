using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>Starts the shared <see cref="KestrelHost"/> serving hand-built endpoint definitions.</summary>
internal static class ServerTestHost
{
    public static Task<KestrelHost> StartAsync(
        IEnumerable<AnnotatedEndpointDefinition> definitions,
        Action<AnnotatedWebSocketsOptions>? configure = null,
        HttpProtocols protocols = HttpProtocols.Http1,
        bool exposeEndpointName = false) =>
        KestrelHost.StartAsync(configure, protocols, mapEndpoints: app =>
        {
            if (exposeEndpointName)
            {
                app.UseRouting();
                app.Use((context, next) =>
                {
                    context.Response.Headers["X-Endpoint"] = context.GetEndpoint()?.DisplayName ?? "none";
                    return next(context);
                });
            }

            AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, definitions);
        });

    public static Task<KestrelHost> StartAsync(string path, ScriptedEndpoint endpoint, Action<AnnotatedWebSocketsOptions>? configure = null) =>
        StartAsync([endpoint.ToDefinition(path)], configure);
}
