using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using HttpEndpoint = Microsoft.AspNetCore.Http.Endpoint;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Narrows ASP.NET Core routing to the Jakarta matching rules for WebSocket endpoints. Routing already ranks
/// candidates as the specification does (same segment count; at each segment, left to right, a literal beats
/// a variable), but it ignores a trailing slash and compares literals case-insensitively. This policy
/// discards candidates whose <see cref="UriTemplate"/> does not match the request path exactly, so
/// <c>/a/b/</c> only matches <c>/a/b/</c> and <c>/Echo</c> does not match <c>/echo</c>.
/// </summary>
internal sealed class ServerEndpointMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <inheritdoc />
    public override int Order => 0;

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<HttpEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<MappedServerEndpoint>() is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var path = httpContext.Request.Path.HasValue ? httpContext.Request.Path.Value.AsSpan() : "/".AsSpan();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var mapped = candidates[i].Endpoint.Metadata.GetMetadata<MappedServerEndpoint>();
            if (mapped is not null && !mapped.Template.IsMatch(path))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
