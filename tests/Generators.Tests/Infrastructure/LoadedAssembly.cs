using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Generators.Tests.Infrastructure;

/// <summary>
/// A generated compilation emitted to memory and loaded into its own context. Its references to
/// <c>Annotated.WebSockets</c> resolve to the copy this test process already loaded, so the generated module
/// initializer registers into the same <see cref="AnnotatedEndpointRegistry"/> the test reads.
/// </summary>
internal sealed class LoadedAssembly
{
    private LoadedAssembly(Assembly assembly) => Assembly = assembly;

    public Assembly Assembly { get; }

    public static LoadedAssembly Load(GeneratorResult result) => Load(result.Output);

    public static LoadedAssembly Load(Microsoft.CodeAnalysis.Compilation compilation)
    {
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        GeneratorHarness.AssertClean(emit.Diagnostics, "the emitted assembly");
        Assert.True(emit.Success, "Emit failed.");
        image.Position = 0;

        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        var assembly = context.LoadFromStream(image);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        return new LoadedAssembly(assembly);
    }

    public Type GetType(string fullName) =>
        Assembly.GetType(fullName) ?? throw new Xunit.Sdk.XunitException($"Type {fullName} not found in the generated assembly.");

    /// <summary>The registered definition of <paramref name="endpointTypeName"/>; fails when the module initializer did not register it.</summary>
    public AnnotatedEndpointDefinition Definition(string endpointTypeName) =>
        AnnotatedEndpointRegistry.Find(GetType(endpointTypeName))
        ?? throw new Xunit.Sdk.XunitException($"{endpointTypeName} was not registered by the module initializer.");

    /// <summary>Creates an endpoint through its definition and a dispatcher for it.</summary>
    public (object Endpoint, EndpointDispatcher Dispatcher) Create(string endpointTypeName, IServiceProvider? services = null)
    {
        var definition = Definition(endpointTypeName);
        var endpoint = definition.CreateEndpoint(services ?? new EmptyServices());
        return (endpoint, definition.CreateDispatcher(endpoint));
    }

    /// <summary>The calls the endpoint recorded in its static <c>Calls</c> list.</summary>
    public List<string> Calls(string endpointTypeName) =>
        (List<string>)(GetType(endpointTypeName).GetField("Calls", BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)?.GetValue(null)
            ?? throw new Xunit.Sdk.XunitException($"{endpointTypeName} has no static Calls field."));

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
