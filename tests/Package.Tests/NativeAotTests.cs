using System.Text.RegularExpressions;
using Annotated.WebSockets.Package.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Annotated.WebSockets.Package.Tests;

/// <summary>samples/Echo published with Native AOT: no trimming or AOT warning, and the binary works.</summary>
public sealed partial class NativeAotTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("annotated-aot-").FullName;

    [Fact]
    public async Task Echo_sample_publishes_with_native_aot_without_warnings_and_echoes()
    {
        string publish = Path.Combine(_work, "publish");
        var result = await DotNet.RunAsync(Repository.Root, TimeSpan.FromMinutes(20),
            "publish", Repository.PathOf("samples", "Echo", "Echo.csproj"), "-c", "Release", "-nologo",
            "-p:PublishAot=true", "-o", publish, "--artifacts-path", Path.Combine(_work, "artifacts"));
        result.EnsureSuccess("the Native AOT publish of samples/Echo");
        Assert.DoesNotMatch(TrimOrAotWarning(), result.Output);

        string binary = Path.Combine(publish, "Annotated.Samples.Echo");
        Assert.True(File.Exists(binary), $"No native binary at {binary}.");
        await using var server = await RunningServer.StartAsync(binary, [], publish);
        var (text, bytes, extensions) = await EchoExchange.RunAsync(server.WebSocketUri("/echo"), offerDeflate: true);

        Assert.Equal("hello from the package", text);
        Assert.Equal([0, 1, 2, 253, 254, 255], bytes);
        Assert.StartsWith("permessage-deflate", extensions);
        output.WriteLine($"Native binary: {new FileInfo(binary).Length / 1024.0 / 1024.0:0.0} MiB; start to first accepted connection: {server.StartupTime.TotalMilliseconds:0} ms");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; harmless if a file is still held.
        }
    }

    // IL2xxx are trimming warnings, IL3xxx AOT and single-file warnings.
    [GeneratedRegex(@"warning IL[23]\d{3}")]
    private static partial Regex TrimOrAotWarning();
}
