using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text;
using Annotated.WebSockets.Description;
using Annotated.WebSockets.Dispatch;

// annotated-describe <application.dll> <asyncapi.json path> <client.ts path>
//
// Loads the application assembly (its dependencies resolved from its own deps.json), runs its module initializer, the
// generated one that registers its endpoints, and writes their description. Nothing else of the application runs: no
// Main, no host. Exit codes: 0 written, 1 usage, 2 the assembly could not be loaded or described.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Annotated.WebSockets.Describe <application.dll> <asyncapi.json> <client.ts>");
    return 1;
}

var (assemblyPath, documentPath, clientPath) = (Path.GetFullPath(args[0]), args[1], args[2]);
try
{
    var resolver = new AssemblyDependencyResolver(assemblyPath);
    AssemblyLoadContext.Default.Resolving += (context, name) =>
        resolver.ResolveAssemblyToPath(name) is { } path ? context.LoadFromAssemblyPath(path) : null;
    var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(assemblyPath);
    RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

    var endpoints = AnnotatedEndpointRegistry.Endpoints.Where(endpoint => endpoint.EndpointType.Assembly == assembly).ToList();
    var options = AsyncApiDocumentOptions.FromAssembly(assembly);
    var title = options.Title;

    WriteIfChanged(documentPath, AsyncApiDocument.Write(endpoints, options));
    WriteIfChanged(clientPath, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(TypeScriptClient.Write(endpoints, title)));
    Console.WriteLine($"Annotated.WebSockets: described {endpoints.Count} endpoint(s) of {title} in {documentPath} and {clientPath}");
    return 0;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or FileLoadException or TypeLoadException or InvalidOperationException or TypeInitializationException)
{
    Console.Error.WriteLine($"Annotated.WebSockets: the endpoints of {assemblyPath} could not be described: {ex.Message}");
    return 2;
}

// An unchanged file keeps its time stamp, so what is built from it (a compiled page script) is not rebuilt.
static void WriteIfChanged(string path, byte[] content)
{
    if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
    {
        return;
    }

    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    File.WriteAllBytes(path, content);
}
