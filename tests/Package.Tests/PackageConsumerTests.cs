using System.Text.RegularExpressions;
using Annotated.WebSockets.Package.Tests.Infrastructure;

namespace Annotated.WebSockets.Package.Tests;

/// <summary>Fresh projects outside the solution that reference only the package, restored from the local feed.</summary>
[Collection(PackedPackageCollection.Name)]
public sealed partial class PackageConsumerTests(PackedPackage package)
{
    [Fact]
    public async Task A_consumer_of_the_package_builds_and_its_generated_endpoint_answers_over_loopback()
    {
        string project = package.CreateConsumer("EchoConsumer");
        (await DotNet.RunAsync(project, TimeSpan.FromMinutes(10),
            "build", "-c", "Release", "-nologo", $"-p:AnnotatedWebSocketsVersion={package.Version}", "-o", Path.Combine(project, "out")))
            .EnsureSuccess("building the consumer");

        await using var server = await RunningServer.StartAsync(
            "dotnet", [Path.Combine(project, "out", "EchoConsumer.dll")], project);
        var (text, binary, _) = await EchoExchange.RunAsync(server.WebSocketUri("/echo/ada"), offerDeflate: false);

        Assert.Equal("ada: hello from the package", text);
        Assert.Equal([0, 1, 2, 253, 254, 255], binary);
    }

    [Fact]
    public async Task A_consumer_with_an_invalid_endpoint_fails_to_build_with_the_analyzers_diagnostics()
    {
        string project = package.CreateConsumer("InvalidConsumer");
        var result = await DotNet.RunAsync(project, TimeSpan.FromMinutes(10),
            "build", "-c", "Release", "-nologo", $"-p:AnnotatedWebSocketsVersion={package.Version}");

        Assert.NotEqual(0, result.ExitCode);
        var reported = DiagnosticId().Matches(result.Output).Select(m => m.Groups["id"].Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "AWE0100", "AWE0110", "AWE0201" }, reported);
        // One diagnostic per mistake: the generator emitted nothing for the invalid endpoint.
        Assert.DoesNotMatch(@"error CS\d{4}", result.Output);
    }

    [GeneratedRegex(@"error (?<id>AWE\d{4})")]
    private static partial Regex DiagnosticId();
}
