namespace Annotated.WebSockets.Dispatch;

/// What keeps a configuration's coders (<see cref="EndpointConfig.Coders"/>) from being deployed, for both containers:
/// coders given to an annotated endpoint (whose coders are compiled from its attribute), a coder that cannot be made,
/// and a type decoded from both text and binary messages. Each problem names the configuration and the coder.
internal static class CoderDeployment
{
    /// <summary>The problems, each starting with <paramref name="configName"/>; empty when the coders can be deployed.</summary>
    /// <param name="config">The configuration being deployed.</param>
    /// <param name="definition">The endpoint it deploys.</param>
    /// <param name="services">What the coders are made from (a scope on the server).</param>
    /// <param name="configName">How messages name the configuration, e.g. "the ServerEndpointConfig at '/orders'".</param>
    public static IReadOnlyList<string> Check(EndpointConfig config, AnnotatedEndpointDefinition definition, IServiceProvider services, string configName)
    {
        if (config.Coders is not { IsEmpty: false } coders)
        {
            return [];
        }

        if (!definition.IsProgrammatic)
        {
            return [$"{configName} lists Coders, which only a programmatic endpoint (a subclass of Endpoint) uses; the coders of annotated endpoint '{definition.EndpointType.FullName}' are its attribute's Decoders and Encoders"];
        }

        return [.. coders.Check(services).Select(problem => $"{configName}: {problem}")];
    }
}
