using Annotated.WebSockets.Dispatch;
using Microsoft.AspNetCore.Http;

namespace Annotated.WebSockets.Server;

/// <summary>
/// The server's deployment role: which endpoint classes are deployed at which paths (one class per path shape, §6.4),
/// and the routes of endpoints added at run time (<see cref="IServerContainer.AddEndpoint(Type)"/>).
/// </summary>
/// <param name="serve">Serves a request routed to a deployed endpoint (the container's upgrade).</param>
/// <param name="check">What keeps an endpoint from being deployed on this server (its rate-limit policy names, its configuration's coders, its extensions).</param>
internal sealed class ServerEndpointDeployment(
    Func<HttpContext, MappedServerEndpoint, Task> serve,
    Func<ServerEndpointConfig, AnnotatedEndpointDefinition, IEnumerable<string>> check)
{
    // Path shape → the class deployed there, so a class deployed twice at its own path is recognised (§6.4).
    private readonly Dictionary<string, Type> _deployedShapes = new(StringComparer.Ordinal);

    /// <summary>The routes of endpoints added at run time; MapAnnotatedWebSockets attaches it.</summary>
    public DynamicServerEndpointDataSource DynamicEndpoints { get; } = new();

    /// <summary>Deploys a generated server endpoint at its own path; a class already deployed there is deployed once (§6.4).</summary>
    public void Add(Type endpointType)
    {
        ArgumentNullException.ThrowIfNull(endpointType);
        var definition = AnnotatedEndpointRegistry.Find(endpointType);
        if (definition is null || definition.IsClientEndpoint)
        {
            throw new DeploymentException(
                $"'{endpointType.FullName}' is not a server endpoint compiled by the source generator; mark it [ServerEndpoint], or deploy a programmatic endpoint with a ServerEndpointConfig.");
        }

        // The same annotated class deployed twice (mapped, then added; or added twice) is deployed once (§6.4).
        if (UriTemplate.TryParse(definition.Path, out var template, out _) && IsDeployedAt(template.Shape, endpointType))
        {
            return;
        }

        Add(ServerEndpointConfig.FromDefinition(definition));
    }

    /// <summary>Deploys <paramref name="config"/> as a route of <see cref="DynamicEndpoints"/>.</summary>
    /// <exception cref="DeploymentException">Not a server endpoint, an invalid path, or the path is taken.</exception>
    public void Add(ServerEndpointConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = config.EndpointType.FullName;
        var definition = config.Definition ?? AnnotatedEndpointRegistry.Find(config.EndpointType);
        if (definition is null || definition.IsClientEndpoint)
        {
            throw new DeploymentException(
                $"{name}: not a generated server endpoint, and the config has no endpoint factory; mark the class [ServerEndpoint] or use the ServerEndpointConfig constructor that takes a factory.");
        }

        if (!UriTemplate.TryParse(config.Path, out var template, out var pathError))
        {
            throw new DeploymentException($"{name}: {pathError}");
        }

        if (check(config, definition).FirstOrDefault() is { } problem)
        {
            throw new DeploymentException($"{name} at '{config.Path}': {problem}");
        }

        try
        {
            _ = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(template.Path);
        }
        catch (Microsoft.AspNetCore.Routing.Patterns.RoutePatternException ex)
        {
            throw new DeploymentException($"{name}: {ex.Message}", ex);
        }

        if (!TryReserveShape(template.Shape, config.EndpointType))
        {
            throw new DeploymentException($"{name}: an endpoint with the path '{template.Path}' or an equivalent one is already deployed.");
        }

        var mapped = new MappedServerEndpoint(config, definition, template);
        DynamicEndpoints.Add(mapped, context => serve(context, mapped));
    }

    /// <summary>Claims a path shape for this application; false when an equivalent path is already deployed.</summary>
    public bool TryReserveShape(string shape, Type endpointType)
    {
        lock (_deployedShapes)
        {
            return _deployedShapes.TryAdd(shape, endpointType);
        }
    }

    /// <summary>Whether <paramref name="endpointType"/> itself is already deployed at <paramref name="shape"/>.</summary>
    private bool IsDeployedAt(string shape, Type endpointType)
    {
        lock (_deployedShapes)
        {
            return _deployedShapes.TryGetValue(shape, out var deployed) && deployed == endpointType;
        }
    }
}
