using Microsoft.AspNetCore.Authorization;

namespace Annotated.WebSockets.Reliability.Tests.Authorization;

/// <summary>
/// <c>[Authorize]</c> on a base class: every endpoint derived from it requires an authenticated user, as a
/// controller derived from an authorized base does. Each text message is answered with who the session's
/// user is: <c>name/authentication type/member or not</c>, or <c>anonymous</c>.
/// </summary>
[Authorize]
public abstract class SecuredEndpointBase
{
    [OnMessage]
    public string WhoAmI(string text, WebSocketSession session) =>
        session.User?.Identity is { IsAuthenticated: true } identity
            ? $"{identity.Name}/{identity.AuthenticationType}/{(session.User.IsInRole("member") ? "member" : "not a member")}"
            : "anonymous";
}
