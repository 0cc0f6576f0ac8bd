using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>
/// Records the order of the configurator's calls (the test id travels in the Origin header, which the
/// configurator's CheckOrigin sees) and passes handshake data to the session through the user properties.
/// </summary>
public sealed class RecordingConfigurator : ServerEndpointConfigurator
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ServerEndpointConfigurator> s_byTest = new();

    /// <summary>The configurator instance that handled the handshake of a test's connection.</summary>
    public static ServerEndpointConfigurator? ServedTest(string test) => s_byTest.GetValueOrDefault(test);

    public override bool CheckOrigin(string? origin)
    {
        if (origin is not null)
        {
            Recorder.For(origin).Add("origin");
        }

        return origin != "forbidden";
    }

    public override void ModifyHandshake(ServerEndpointConfig config, HandshakeRequest request, ServerHandshakeResponse response)
    {
        var test = request.ParameterMap["test"][0];
        var recorder = Recorder.For(test);
        s_byTest[test] = this;
        recorder.Add("modify");
        recorder.Add($"header:{string.Join(",", request.Headers.TryGetValue("X-CUSTOM", out var v) ? v : [])}");
        recorder.Add($"query:{request.QueryString}:{string.Join(",", request.ParameterMap.TryGetValue("q", out var q) ? q : [])}");
        recorder.Add($"uri:{request.RequestUri.AbsolutePath}:{request.User is null}:{request.IsUserInRole("admin")}:{request.HttpContext is not null}");
        recorder.Add($"leaked:{config.UserProperties.ContainsKey("fromHandshake")}:{config.UserProperties.ContainsKey("fromSession")}");
        config.UserProperties["fromHandshake"] = v is { Count: > 0 } ? v[0] : "none";
        response.Headers["X-Reply"] = ["yes"];
        response.Headers["sec-websocket-accept"] = ["must-not-replace"];
    }

    public override object GetEndpointInstance(Type endpointType, IServiceProvider services)
    {
        var instance = (HandshakeEndpoint)base.GetEndpointInstance(endpointType, services);
        instance.CreatedByConfigurator = true;
        return instance;
    }
}

[ServerEndpoint("/it/handshake/{test}", Configurator = typeof(RecordingConfigurator))]
public sealed class HandshakeEndpoint
{
    public bool CreatedByConfigurator { get; set; }

    [OnOpen]
    public async Task Open(WebSocketSession session, EndpointConfig config, [PathParam("test")] string test)
    {
        Recorder.For(test).Add($"open:{CreatedByConfigurator}:{config is ServerEndpointConfig}");
        await session.BasicRemote.SendTextAsync($"props:{session.UserProperties["fromHandshake"]}");
        session.UserProperties["fromSession"] = "x";
    }
}
