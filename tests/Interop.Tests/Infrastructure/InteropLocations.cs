using System.Reflection;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>
/// Where the built samples and the peer scripts are. The project file embeds the paths at build time
/// (AssemblyMetadata), so the tests find them whatever the artifacts path or working directory.
/// </summary>
internal static class InteropLocations
{
    public static string PeersDirectory => Metadata("InteropPeersDirectory");

    /// <summary>The built describe tool (src/Describe), which writes a built application's description.</summary>
    public static string DescribeTool => Metadata("DescribeTool");

    /// <summary>The built assembly of a sample, e.g. "Annotated.Samples.Echo".</summary>
    public static string SampleAssembly(string assemblyName) => Metadata("Sample:" + assemblyName);

    /// <summary>The sample's project folder: its content root (wwwroot), as with <c>dotnet run</c>.</summary>
    public static string SampleProjectDirectory(string assemblyName) =>
        Path.GetDirectoryName(Metadata("SampleProject:" + assemblyName))!;

    private static string Metadata(string key)
    {
        foreach (var attribute in typeof(InteropLocations).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (attribute.Key == key && !string.IsNullOrEmpty(attribute.Value))
            {
                return attribute.Value;
            }
        }

        throw new InvalidOperationException(
            $"The test assembly has no '{key}' metadata; the project file's EmbedInteropLocations target did not run.");
    }
}
