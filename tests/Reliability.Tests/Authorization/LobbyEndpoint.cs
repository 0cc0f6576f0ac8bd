using Microsoft.AspNetCore.Authorization;

namespace Annotated.WebSockets.Reliability.Tests.Authorization;

/// <summary>Derived from the authorized base class, but <c>[AllowAnonymous]</c>: open to everyone.</summary>
[ServerEndpoint("/auth/lobby")]
[AllowAnonymous]
public sealed class LobbyEndpoint : SecuredEndpointBase
{
}
