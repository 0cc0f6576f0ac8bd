using System.Reflection;
using System.Runtime.CompilerServices;

namespace Annotated.WebSockets.Testing.Tests;

public class PublicSeamTests
{
    [Fact]
    public void The_runtime_opens_no_internals_to_the_testing_package()
    {
        var friends = typeof(WebSocketSession).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>()
            .Select(attribute => attribute.AssemblyName);

        Assert.DoesNotContain(friends, name => name.StartsWith("Annotated.WebSockets.Testing", StringComparison.Ordinal));
    }
}
