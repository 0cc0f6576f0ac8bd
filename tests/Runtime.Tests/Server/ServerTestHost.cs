using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>A host whose container times out on <paramref name="clock"/> (registered as the TimeProvider service).</summary>
    public static Task<KestrelHost> StartAsync(string path, ScriptedEndpoint endpoint, TimeProvider clock, Action<AnnotatedWebSocketsOptions>? configure = null) =>
        KestrelHost.StartAsync(
            configure,
            services: services => services.AddSingleton(clock),
            mapEndpoints: app => AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, [endpoint.ToDefinition(path)]));
}
