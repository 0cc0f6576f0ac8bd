using System.Runtime.CompilerServices;
using Annotated.WebSockets.Generators.Emitting;

namespace Annotated.WebSockets.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated files with the committed baselines in <c>Baselines/&lt;TestName&gt;/&lt;HintName&gt;.txt</c>.
/// The generator version is replaced by <c>%VERSION%</c> and line endings are normalised; nothing is trimmed.
/// With <c>ANNOTATED_UPDATE_BASELINES=1</c> the files are rewritten and the test fails so the change is seen.
/// </summary>
internal static class Baseline
{
    public const string UpdateVariable = "ANNOTATED_UPDATE_BASELINES";

    public static void Verify(GeneratorResult result, [CallerMemberName] string testName = "", [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Baselines", testName);
        var actual = result.Sources.ToDictionary(
            pair => pair.Key + ".txt",
            pair => Normalize(pair.Value).Replace(GeneratedCodeInfo.Version, "%VERSION%", StringComparison.Ordinal),
            StringComparer.Ordinal);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Update(directory, actual);
            Assert.Fail($"{UpdateVariable}=1: rewrote the baselines in {directory}; unset it and run again.");
        }

        Assert.True(Directory.Exists(directory), $"No baselines at {directory}; run with {UpdateVariable}=1 to create them.");
        var expectedFiles = Directory.GetFiles(directory, "*.txt").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var actualFiles = actual.Keys.Order(StringComparer.Ordinal).ToList();
        Assert.True(
            expectedFiles.SequenceEqual(actualFiles),
            $"Generated files differ from the baselines in {directory}.{Environment.NewLine}"
            + $"Expected: {string.Join(", ", expectedFiles)}{Environment.NewLine}Actual:   {string.Join(", ", actualFiles)}");

        foreach (var (fileName, text) in actual)
        {
            var path = Path.Combine(directory, fileName);
            Compare(path, Normalize(File.ReadAllText(path)), text);
        }
    }

    private static void Compare(string path, string expected, string actual)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return;
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var expectedLine = i < expectedLines.Length ? expectedLines[i] : "<end of file>";
            var actualLine = i < actualLines.Length ? actualLines[i] : "<end of file>";
            if (!string.Equals(expectedLine, actualLine, StringComparison.Ordinal))
            {
                Assert.Fail(
                    $"{path} differs at line {i + 1}:{Environment.NewLine}"
                    + $"  expected: {expectedLine}{Environment.NewLine}"
                    + $"  actual:   {actualLine}{Environment.NewLine}"
                    + $"Run with {UpdateVariable}=1 to accept the new output.");
            }
        }
    }

    private static void Update(string directory, IReadOnlyDictionary<string, string> actual)
    {
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.GetFiles(directory, "*.txt"))
        {
            if (!actual.ContainsKey(Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }

        foreach (var (fileName, text) in actual)
        {
            File.WriteAllText(Path.Combine(directory, fileName), text);
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
