using Microsoft.AspNetCore.Authorization;

namespace Annotated.WebSockets.Reliability.Tests.Authorization;

/// <summary>Authenticated (from the base class) and in the <c>member</c> role (its own attribute).</summary>
[ServerEndpoint("/auth/members")]
[Authorize(Roles = "member")]
public sealed class MembersEndpoint : SecuredEndpointBase
{
}
