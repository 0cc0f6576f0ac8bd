namespace Annotated.WebSockets.Analyzers.Tests.Infrastructure;

/// <summary>Finds the repository from the test's output directory, so tests can read other projects' sources.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The .cs files of a project directory, without build output.</summary>
    public static IEnumerable<string> SourceFiles(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(projectDirectory, path)))
            .OrderBy(path => path, StringComparer.Ordinal);

    private static bool IsBuildOutput(string relativePath)
    {
        var first = relativePath.Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj" or "artifacts" or "node_modules";
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props"))
                && Directory.Exists(Path.Combine(directory.FullName, "src", "Analyzers")))
            {
                return directory.FullName;
            }
        }

        // Built with --artifacts-path outside the repository: fall back to the source file's location.
        return Path.GetFullPath(Path.Combine(ThisDirectory(), "..", "..", ".."));
    }

    private static string ThisDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path)!;
}
