using System.IO.Compression;
using System.Xml.Linq;
using Annotated.WebSockets.Package.Tests.Infrastructure;

namespace Annotated.WebSockets.Package.Tests;

[Collection(PackedPackageCollection.Name)]
public sealed class PackageLayoutTests(PackedPackage package)
{
    private const string CompilerSide = "analyzers/dotnet/roslyn4.8/cs/";

    [Fact]
    public void Package_holds_the_runtime_for_both_frameworks_and_the_compiler_side_under_analyzers()
    {
        using var archive = ZipFile.OpenRead(package.PackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("lib/net8.0/Annotated.WebSockets.dll", entries);
        Assert.Contains("lib/net10.0/Annotated.WebSockets.dll", entries);
        Assert.Contains("lib/net8.0/Annotated.WebSockets.xml", entries);
        Assert.Contains(CompilerSide + "Annotated.WebSockets.Generators.dll", entries);
        Assert.Contains(CompilerSide + "Annotated.WebSockets.Analyzers.dll", entries);
        Assert.Contains(CompilerSide + "Annotated.WebSockets.CodeFixes.dll", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("icon.png", entries);

        // The opt-in description step: its targets and the tool that writes asyncapi.json and the TypeScript client.
        Assert.Contains("buildTransitive/Annotated.WebSockets.targets", entries);
        Assert.Contains("buildTransitive/Annotated.WebSockets.Description.targets", entries);
        Assert.Contains("tools/describe/Annotated.WebSockets.Describe.dll", entries);
        Assert.Contains("tools/describe/Annotated.WebSockets.Describe.runtimeconfig.json", entries);
        Assert.Contains("tools/describe/Annotated.WebSockets.dll", entries);

        // The compiler side must never become a runtime reference of the consumer.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Analyzers", StringComparison.Ordinal));
    }

    [Fact]
    public void Nuspec_carries_license_readme_icon_repository_and_no_package_dependencies()
    {
        using var archive = ZipFile.OpenRead(package.PackagePath);
        using var stream = archive.GetEntry("Annotated.WebSockets.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(package.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("icon.png", Value("icon"));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.StartsWith("https://", repository.Attribute("url")?.Value);

        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        Assert.Empty(dependencies);
        var frameworks = metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference")
            .Select(e => e.Attribute("name")?.Value).Distinct().ToList();
        Assert.Equal(["Microsoft.AspNetCore.App"], frameworks);
    }

    [Fact]
    public void The_testing_package_holds_the_harness_for_both_frameworks_and_depends_on_this_runtime_version()
    {
        using var archive = ZipFile.OpenRead(package.TestingPackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        string[] expected = ["lib/net8.0/Annotated.WebSockets.Testing.dll", "lib/net10.0/Annotated.WebSockets.Testing.dll", "lib/net10.0/Annotated.WebSockets.Testing.xml", "README.md", "icon.png"];
        Assert.Empty(expected.Except(entries));
        // The compiler side comes with the runtime package only.
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal));

        using var stream = archive.GetEntry("Annotated.WebSockets.Testing.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal(package.Version, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
        Assert.Equal("MIT", metadata.Elements().Single(e => e.Name.LocalName == "license").Value);
        var runtime = metadata.Descendants().Where(e => e.Name.LocalName == "dependency" && e.Attribute("id")?.Value == "Annotated.WebSockets").ToList();
        Assert.Equal(2, runtime.Count);   // one per target framework
        Assert.All(runtime, dependency => Assert.Equal(package.Version, dependency.Attribute("version")?.Value));
    }

    [Fact]
    public void The_redis_package_holds_the_backplane_for_both_frameworks_and_depends_on_this_runtime_version_and_StackExchange_Redis()
    {
        using var archive = ZipFile.OpenRead(package.RedisPackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        string[] expected = ["lib/net8.0/Annotated.WebSockets.Redis.dll", "lib/net10.0/Annotated.WebSockets.Redis.dll", "lib/net10.0/Annotated.WebSockets.Redis.xml", "README.md", "icon.png"];
        Assert.Empty(expected.Except(entries));
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal));

        using var stream = archive.GetEntry("Annotated.WebSockets.Redis.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal(package.Version, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        var runtime = dependencies.Where(e => e.Attribute("id")?.Value == "Annotated.WebSockets").ToList();
        Assert.Equal(2, runtime.Count);   // one per target framework
        Assert.All(runtime, dependency => Assert.Equal(package.Version, dependency.Attribute("version")?.Value));
        Assert.Contains(dependencies, e => e.Attribute("id")?.Value == "StackExchange.Redis");
    }

    [Fact]
    public void Symbol_package_is_produced()
    {
        using var archive = ZipFile.OpenRead(package.SymbolPackagePath);
        Assert.Contains(archive.Entries, e => e.FullName == "lib/net10.0/Annotated.WebSockets.pdb");
    }

    [Fact]
    public async Task Packing_the_same_commit_twice_gives_identical_bytes()
    {
        string secondFeed = Path.Combine(package.WorkDirectory, "feed-again");
        (await package.PackAsync(secondFeed, build: false)).EnsureSuccess("the second dotnet pack");

        byte[] first = await File.ReadAllBytesAsync(package.PackagePath);
        byte[] second = await File.ReadAllBytesAsync(Path.Combine(secondFeed, Path.GetFileName(package.PackagePath)));
        Assert.True(first.AsSpan().SequenceEqual(second), "Two packs of one commit differ: the package is not reproducible.");
    }
}
