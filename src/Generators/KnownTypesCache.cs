using System.Runtime.CompilerServices;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.Generators;

/// <summary>
/// Resolves <see cref="KnownTypes"/> once per compilation rather than once per endpoint. The cache is keyed
/// weakly by the compilation, so it never keeps one alive, and it never enters the pipeline's outputs.
/// </summary>
internal static class KnownTypesCache
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypes> s_cache = new();

    public static KnownTypes Get(Compilation compilation) => s_cache.GetValue(compilation, KnownTypes.Create);
}
