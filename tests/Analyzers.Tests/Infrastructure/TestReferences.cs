using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Annotated.WebSockets.Analyzers.Tests.Infrastructure;

/// <summary>
/// Compilation references built offline: the shared-framework assemblies this test process runs on
/// (Microsoft.NETCore.App and Microsoft.AspNetCore.App, from the trusted platform assemblies) plus the
/// Annotated.WebSockets runtime. No NuGet download happens while tests run.
/// </summary>
internal static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_framework = new(LoadFramework);

    /// <summary>A reference set with no packages, so the testing library resolves nothing itself.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0-offline");

    /// <summary>The framework plus the Annotated.WebSockets runtime.</summary>
    public static ImmutableArray<MetadataReference> All =>
        s_framework.Value.Add(MetadataReference.CreateFromFile(typeof(ServerEndpointAttribute).Assembly.Location));

    /// <summary>The framework alone, for tests that declare their own copy of some runtime types.</summary>
    public static ImmutableArray<MetadataReference> Framework => s_framework.Value;

    /// <summary>The framework assemblies plus the runtime's directory, as paths (for the repository-wide test).</summary>
    public static IEnumerable<string> FrameworkPaths()
    {
        var tpa = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty;
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var sharedRoot = Path.GetFullPath(Path.Combine(frameworkDirectory, "..", ".."));
        return tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.StartsWith(sharedRoot, StringComparison.Ordinal))
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
    }

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var path in FrameworkPaths())
        {
            builder.Add(MetadataReference.CreateFromFile(path));
        }

        return builder.ToImmutable();
    }
}
