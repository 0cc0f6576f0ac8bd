using System.Collections.Immutable;

namespace Annotated.WebSockets.Dispatch;

/// <summary>
/// The endpoints of every loaded assembly, registered by generated module initializers. This replaces the
/// Jakarta container's class scanning: <c>MapAnnotatedWebSockets()</c> reads it, nothing is reflected.
/// </summary>
public static class AnnotatedEndpointRegistry
{
    private static ImmutableArray<AnnotatedEndpointDefinition> s_endpoints = [];

    /// <summary>The registered endpoints, in registration order.</summary>
    // ImmutableArray wraps one array reference, so reading it is atomic.
    public static ImmutableArray<AnnotatedEndpointDefinition> Endpoints => s_endpoints;

    /// <summary>Registers an endpoint. Registering the same endpoint type again has no effect.</summary>
    /// <param name="definition">The endpoint.</param>
    public static void Register(AnnotatedEndpointDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ImmutableInterlocked.Update(ref s_endpoints, static (current, added) =>
        {
            foreach (var existing in current)
            {
                if (existing.EndpointType == added.EndpointType)
                {
                    return current;
                }
            }

            return current.Add(added);
        }, definition);
    }

    /// <summary>Finds the registered endpoint for <paramref name="endpointType"/>, or null.</summary>
    /// <param name="endpointType">The endpoint class.</param>
    public static AnnotatedEndpointDefinition? Find(Type endpointType)
    {
        foreach (var definition in Endpoints)
        {
            if (definition.EndpointType == endpointType)
            {
                return definition;
            }
        }

        return null;
    }
}
