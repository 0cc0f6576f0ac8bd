using Microsoft.AspNetCore.Builder;

namespace Annotated.WebSockets.Server;

/// <summary>Applies each convention to every WebSocket endpoint that <c>MapAnnotatedWebSockets()</c> mapped.</summary>
internal sealed class CompositeEndpointConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        ArgumentNullException.ThrowIfNull(convention);
        foreach (var builder in builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        ArgumentNullException.ThrowIfNull(finallyConvention);
        foreach (var builder in builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
