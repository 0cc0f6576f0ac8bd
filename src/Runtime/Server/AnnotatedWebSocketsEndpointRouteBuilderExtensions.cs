using System.Collections.Frozen;
using Annotated.WebSockets;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the annotated WebSocket endpoints onto ASP.NET Core endpoint routing.</summary>
public static partial class AnnotatedWebSocketsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every <see cref="ServerEndpointAttribute"/> class the source generator registered, one route per
    /// endpoint, so authorization, CORS and other endpoint metadata apply to each. Each endpoint's metadata
    /// starts with its class's attributes (<see cref="AnnotatedEndpointDefinition.Metadata"/>), so
    /// <c>[Authorize]</c> on the class guards its handshake. A request to an endpoint path that is not a
    /// WebSocket handshake gets 426 Upgrade Required. When the services hold <see cref="IServerApplicationConfig"/>
    /// registrations, they choose what is deployed instead, as for
    /// <see cref="MapAnnotatedWebSockets(IEndpointRouteBuilder, IServerApplicationConfig)"/> (their results are joined).
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <returns>A builder whose conventions (for example <c>RequireAuthorization()</c>) apply to every mapped endpoint.</returns>
    /// <exception cref="DeploymentException">
    /// A path is malformed, two endpoints have equivalent paths (such as <c>/a/{x}</c> and <c>/a/{y}</c>), or an
    /// endpoint's settings are unusable. Then no endpoint is mapped.
    /// </exception>
    /// <exception cref="InvalidOperationException"><c>services.AddAnnotatedWebSockets()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapAnnotatedWebSockets(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var applications = endpoints.ServiceProvider.GetServices<IServerApplicationConfig>().ToArray();
        return applications.Length > 0
            ? MapApplicationEndpoints(endpoints, applications)
            : MapAnnotatedWebSocketEndpoints(endpoints, ServerDefinitions());
    }

    /// <summary>
    /// Maps what <paramref name="application"/> chooses (Jakarta's <c>ServerApplicationConfig</c>, §6.2): the
    /// <c>[ServerEndpoint]</c> classes it keeps of those the source generator registered, and the programmatic
    /// <see cref="ServerEndpointConfig"/>s it returns. Everything mapped gets the conventions of the returned builder,
    /// programmatic configs included (unlike <see cref="IServerContainer.AddEndpoint(ServerEndpointConfig)"/>).
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="application">Chooses the endpoints to deploy, once, at this call.</param>
    /// <returns>A builder whose conventions apply to every mapped endpoint.</returns>
    /// <exception cref="DeploymentException">
    /// The application returned a class that is not a generated <c>[ServerEndpoint]</c>, a config that cannot be
    /// deployed (a path, an extension, a rate-limit policy), or as for <see cref="MapAnnotatedWebSockets(IEndpointRouteBuilder)"/>.
    /// </exception>
    public static IEndpointConventionBuilder MapAnnotatedWebSockets(this IEndpointRouteBuilder endpoints, IServerApplicationConfig application)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(application);
        return MapApplicationEndpoints(endpoints, [application]);
    }

    /// <summary>
    /// Maps only the given <c>[ServerEndpoint]</c> classes (and the endpoints added at run time), not every one of
    /// the application: a test host that serves a few endpoints of a test project, or an application that serves
    /// different endpoints on different hosts.
    /// </summary>
    /// <param name="endpoints">The application's endpoint route builder.</param>
    /// <param name="endpointTypes">The endpoint classes, each compiled by the source generator.</param>
    /// <returns>A builder whose conventions apply to every mapped endpoint.</returns>
    /// <exception cref="DeploymentException">
    /// A type is not a <c>[ServerEndpoint]</c> compiled by the source generator, or as for
    /// <see cref="MapAnnotatedWebSockets(IEndpointRouteBuilder)"/>.
    /// </exception>
    public static IEndpointConventionBuilder MapAnnotatedWebSockets(this IEndpointRouteBuilder endpoints, params Type[] endpointTypes)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(endpointTypes);
        var definitions = new List<AnnotatedEndpointDefinition>(endpointTypes.Length);
        foreach (var type in endpointTypes)
        {
            ArgumentNullException.ThrowIfNull(type, nameof(endpointTypes));
            var definition = AnnotatedEndpointRegistry.Find(type);
            if (definition is null || definition.IsClientEndpoint)
            {
                throw new DeploymentException(
                    $"'{type.FullName}' is not a server endpoint compiled by the source generator; mark it [ServerEndpoint].");
            }

            definitions.Add(definition);
        }

        return MapAnnotatedWebSocketEndpoints(endpoints, definitions);
    }

    private static List<AnnotatedEndpointDefinition> ServerDefinitions()
    {
        var definitions = new List<AnnotatedEndpointDefinition>();
        foreach (var definition in AnnotatedEndpointRegistry.Endpoints)
        {
            if (!definition.IsClientEndpoint)
            {
                definitions.Add(definition);
            }
        }

        return definitions;
    }

    // §6.2: every application config is asked; the union of the classes they keep and of the configs they return is deployed.
    private static IEndpointConventionBuilder MapApplicationEndpoints(IEndpointRouteBuilder endpoints, IReadOnlyList<IServerApplicationConfig> applications)
    {
        var registered = ServerDefinitions();
        var scanned = registered.Select(static definition => definition.EndpointType).ToFrozenSet();
        var chosen = new HashSet<Type>();
        var configs = new List<ServerEndpointConfig>();
        var errors = new List<string>();
        foreach (var application in applications)
        {
            foreach (var type in application.GetAnnotatedEndpointClasses(scanned) ?? [])
            {
                if (type is null || !scanned.Contains(type))
                {
                    errors.Add($"{application.GetType().FullName}: '{type?.FullName}' is not a server endpoint compiled by the source generator; only the classes it was given can be deployed.");
                }
                else
                {
                    chosen.Add(type);
                }
            }

            foreach (var config in application.GetEndpointConfigs() ?? [])
            {
                if (config is not null && !configs.Contains(config))
                {
                    configs.Add(config);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw Failed(endpoints, errors);
        }

        return MapAnnotatedWebSocketEndpoints(endpoints, registered.Where(definition => chosen.Contains(definition.EndpointType)), configs);
    }

    /// <summary>
    /// Maps the given endpoints (generated definitions, then programmatic or hand-made configs); the public overloads
    /// pass the registry's. Tests pass their own.
    /// </summary>
    internal static IEndpointConventionBuilder MapAnnotatedWebSocketEndpoints(
        IEndpointRouteBuilder endpoints,
        IEnumerable<AnnotatedEndpointDefinition> definitions,
        IEnumerable<ServerEndpointConfig>? configs = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(definitions);
        var container = endpoints.ServiceProvider.GetService<ServerContainer>()
            ?? throw new InvalidOperationException(
                "The annotated WebSocket server is not registered: call services.AddAnnotatedWebSockets() before MapAnnotatedWebSockets().");

        var errors = new List<string>();
        var toMap = new List<(MappedServerEndpoint Mapped, RoutePattern Pattern)>();
        var byShape = new Dictionary<string, MappedServerEndpoint>(StringComparer.Ordinal);
        var candidates = definitions.Select(static definition => (Definition: (AnnotatedEndpointDefinition?)definition, Config: (ServerEndpointConfig?)null))
            .Concat((configs ?? []).Select(static config => (Definition: config.Definition ?? AnnotatedEndpointRegistry.Find(config.EndpointType), Config: (ServerEndpointConfig?)config)));
        foreach (var (definition, given) in candidates)
        {
            var name = given?.EndpointType.FullName ?? definition!.EndpointType.FullName;
            if (definition is null || definition.IsClientEndpoint)
            {
                errors.Add($"{name}: not a generated server endpoint, and the config has no endpoint factory; mark the class [ServerEndpoint] or use the ServerEndpointConfig constructor that takes a factory.");
                continue;
            }

            var path = given?.Path ?? definition.Path;
            if (!UriTemplate.TryParse(path, out var template, out var pathError))
            {
                errors.Add($"{name}: {pathError}");
                continue;
            }

            if (definition.MaxTextMessageSize > int.MaxValue || definition.MaxBinaryMessageSize > int.MaxValue)
            {
                errors.Add($"{name}: [OnMessage(MaxMessageSize)] is above {int.MaxValue}, the largest message .NET can hold.");
            }

            ServerEndpointConfig config;
            RoutePattern pattern;
            try
            {
                config = given ?? ServerEndpointConfig.FromDefinition(definition);
                pattern = RoutePatternFactory.Parse(template.Path);
            }
            catch (Exception ex) when (ex is DeploymentException or RoutePatternException)
            {
                errors.Add($"{name}: {ex.Message}");
                continue;
            }

            foreach (var problem in container.CheckDeployment(config, definition))
            {
                errors.Add($"{name} at '{template.Path}': {problem}");
            }

            var mapped = new MappedServerEndpoint(config, definition, template);
            if (byShape.TryGetValue(template.Shape, out var existing))
            {
                errors.Add(
                    $"{name}: its path '{template.Path}' is equivalent to the path '{existing.Template.Path}' of {existing.Definition.EndpointType.FullName}; two endpoints cannot share a path.");
                continue;
            }

            byShape.Add(template.Shape, mapped);
            toMap.Add((mapped, pattern));
        }

        foreach (var shape in byShape.Keys)
        {
            if (!container.TryReserveShape(shape, byShape[shape].Definition.EndpointType))
            {
                errors.Add($"{byShape[shape].Definition.EndpointType.FullName}: an endpoint with the path '{byShape[shape].Template.Path}' or an equivalent one is already mapped.");
            }
        }

        if (errors.Count > 0)
        {
            throw Failed(endpoints, errors);
        }

        lock (container.DynamicEndpoints)
        {
            // Endpoints deployed with IServerContainer.AddEndpoint (before or after this call) are routed through it.
            if (!container.DynamicEndpoints.IsAttached)
            {
                container.DynamicEndpoints.IsAttached = true;
                endpoints.DataSources.Add(container.DynamicEndpoints);
            }
        }

        var builders = new List<IEndpointConventionBuilder>(toMap.Count);
        foreach (var (mapped, pattern) in toMap)
        {
            var builder = endpoints.Map(pattern, context => container.HandleMappedAsync(context, mapped));
            builder.WithDisplayName($"WebSocket {mapped.Template.Path} ({mapped.Definition.EndpointType.FullName})");

            // The class's attributes ([Authorize], [AllowAnonymous], [EnableCors]...) are metadata, as for a
            // controller; added first, so conventions the caller adds to the returned builder come after them
            // and win wherever the last metadata of a kind counts.
            if (mapped.Definition.Metadata.Count > 0)
            {
                builder.WithMetadata([.. mapped.Definition.Metadata]);
            }

            builder.WithMetadata(mapped);
            builders.Add(builder);
        }

        return new CompositeEndpointConventionBuilder(builders);
    }

    private static DeploymentException Failed(IEndpointRouteBuilder endpoints, List<string> errors)
    {
        var exception = new DeploymentException(
            "The WebSocket endpoints cannot be deployed:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        Log.DeploymentFailed(endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategories.Server), exception);
        return exception;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.DeploymentFailed, Level = LogLevel.Error, Message = "WebSocket endpoint deployment failed; no WebSocket endpoint is served.")]
        public static partial void DeploymentFailed(ILogger logger, Exception exception);
    }
}
