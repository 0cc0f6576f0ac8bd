namespace Annotated.WebSockets.Package.Tests.Infrastructure;

/// <summary>
/// Packs src/Runtime, src/Testing and src/Redis once per test run into a temporary local feed, with a version of its own so
/// that a package cached by an earlier run can never stand in for this one.
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("annotated-package-").FullName;

    public string Version { get; } = $"0.1.0-test.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";

    public string Feed => Path.Combine(WorkDirectory, "feed");

    public string PackagePath => Path.Combine(Feed, $"Annotated.WebSockets.{Version}.nupkg");

    public string SymbolPackagePath => Path.Combine(Feed, $"Annotated.WebSockets.{Version}.snupkg");

    /// <summary>The test harness package (src/Testing), packed with the same version.</summary>
    public string TestingPackagePath => Path.Combine(Feed, $"Annotated.WebSockets.Testing.{Version}.nupkg");

    /// <summary>The Redis backplane package (src/Redis), packed with the same version.</summary>
    public string RedisPackagePath => Path.Combine(Feed, $"Annotated.WebSockets.Redis.{Version}.nupkg");

    internal string ArtifactsPath => Path.Combine(WorkDirectory, "artifacts");

    public async Task InitializeAsync()
    {
        (await PackAsync(Feed, build: true)).EnsureSuccess("dotnet pack");
        (await PackAsync(Feed, build: true, "Testing", "Annotated.WebSockets.Testing.csproj")).EnsureSuccess("dotnet pack of the testing package");
        (await PackAsync(Feed, build: true, "Redis", "Annotated.WebSockets.Redis.csproj")).EnsureSuccess("dotnet pack of the Redis package");
    }

    /// <summary>Packs a project of src/ (the runtime unless another is named) into <paramref name="output"/>.</summary>
    internal Task<DotNet.Result> PackAsync(string output, bool build, string folder = "Runtime", string project = "Annotated.WebSockets.csproj") =>
        DotNet.RunAsync(Repository.Root, TimeSpan.FromMinutes(10),
        [
            "pack", Repository.PathOf("src", folder, project),
            "-c", "Release", "-o", output, "--artifacts-path", ArtifactsPath,
            $"-p:Version={Version}", "-nologo", .. build ? Array.Empty<string>() : ["--no-build"],
        ]);

    /// <summary>Copies a consumer project from Consumers/ to a fresh folder outside the repository, with a
    /// nuget.config that adds the local feed to the machine's usual sources.</summary>
    internal string CreateConsumer(string name)
    {
        string source = Repository.PathOf("tests", "Package.Tests", "Consumers", name);

        string target = Path.Combine(WorkDirectory, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(target, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="annotated-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return target;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file; the folder is in the temp directory and harmless.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "packed package";
}
