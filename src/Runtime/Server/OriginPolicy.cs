using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Annotated.WebSockets.Server;

/// <summary>
/// The container's own origin rule, applied before the configurator's <see cref="ServerEndpointConfigurator.CheckOrigin"/>:
/// an allow-list when one is configured; otherwise same-origin only for endpoints that require authorization
/// (see <see cref="AnnotatedWebSocketsOptions.AllowedOrigins"/>).
/// </summary>
internal static class OriginPolicy
{
    public static bool Allows(HttpContext context, string? origin, IList<string> allowedOrigins)
    {
        if (origin is null)
        {
            return true;   // not a browser: cookies are not sent on its behalf by someone else's page
        }

        if (allowedOrigins.Count > 0)
        {
            foreach (var allowed in allowedOrigins)
            {
                if (string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        return !RequiresAuthorization(context) || IsSameOrigin(context.Request, origin);
    }

    private static bool RequiresAuthorization(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null
        && context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null;

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
}
