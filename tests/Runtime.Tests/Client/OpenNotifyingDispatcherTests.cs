using System.Reflection;
using Annotated.WebSockets.Client;
using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>The client wraps each endpoint's dispatcher; a member it does not forward would silently do nothing.</summary>
public sealed class OpenNotifyingDispatcherTests
{
    [Fact]
    public void EveryOverridableMemberOfTheDispatcher_IsForwarded()
    {
        var overridable = typeof(EndpointDispatcher)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(method => method.IsVirtual && !method.IsFinal)
            .ToList();
        Assert.NotEmpty(overridable);

        var notForwarded = overridable
            .Where(method => typeof(OpenNotifyingDispatcher)
                .GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, [.. method.GetParameters().Select(p => p.ParameterType)])
                ?.DeclaringType != typeof(OpenNotifyingDispatcher))
            .Select(method => method.Name)
            .ToList();

        Assert.Empty(notForwarded);
    }
}
