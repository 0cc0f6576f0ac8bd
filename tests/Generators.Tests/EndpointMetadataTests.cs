using System.Reflection;
using Annotated.WebSockets.Generators.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;

namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// A server endpoint class's attributes become <c>AnnotatedEndpointDefinition.Metadata</c>, created in
/// generated code from the attribute data (no reflection), and the definition says whether creating the
/// endpoint needs services.
/// </summary>
public sealed class EndpointMetadataTests
{
    private const string Source = EndpointSources.Usings + """
        using Microsoft.AspNetCore.Authorization;

        namespace Samples;

        [Flags]
        public enum Access
        {
            None = 0,
            Read = 1,
            Write = 2,
        }

        [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
        public sealed class TagAttribute : Attribute
        {
            public TagAttribute(Access access, Type target, params string[] names)
            {
                Access = access;
                Target = target;
                Names = names;
            }

            public Access Access { get; }
            public Type Target { get; }
            public string[] Names { get; }
            public int[]? Weights { get; set; }
            public object? Value { get; set; }
            public long Big { get; init; }
            public Type? Other;
        }

        /// <summary>Single use (the default): a derived class's one hides its base class's.</summary>
        public sealed class LevelAttribute : Attribute
        {
            public LevelAttribute(string name) => Name = name;
            public string Name { get; }
        }

        [AttributeUsage(AttributeTargets.Class, Inherited = false)]
        public sealed class NotInheritedAttribute : Attribute
        {
        }

        internal sealed class InternalMarkerAttribute : Attribute
        {
        }

        file sealed class FileLocalAttribute : Attribute
        {
        }

        [Authorize("base")]
        [Level("base")]
        [NotInherited]
        [Tag(Access.None, typeof(string))]
        public abstract class SecuredBase
        {
        }

        [ServerEndpoint("/secure")]
        [Authorize(Policy = "p", Roles = "a,b")]
        [Level("derived")]
        [Tag(Access.Read | Access.Write, typeof(Dictionary<,>), "x", "y\"z", Weights = new[] { 1, -2 }, Value = (byte)7, Big = -5L, Other = null)]
        [Tag((Access)8, typeof(int[]))]
        [InternalMarker]
        [FileLocal]
        public sealed class SecureEndpoint : SecuredBase
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public string Echo(string text) => text;
        }
        """;

    [Fact]
    public void AttributeMetadata() => Baseline.Verify(GeneratorHarness.Run(Source));

    [Fact]
    public void AttributesAreCreatedAsAppliedBaseClassesFirst()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(Source));
        var metadata = assembly.Definition("Samples.SecureEndpoint").Metadata;

        // Base class first: its [Authorize] and [Tag] (multi-use, inherited); its [Level] is hidden by the
        // derived one and [NotInherited] is not inherited. Then the class's own, without [ServerEndpoint]
        // (ours) and the file-local attribute generated code cannot name.
        Assert.Equal(
            ["AuthorizeAttribute", "TagAttribute", "AuthorizeAttribute", "LevelAttribute", "TagAttribute", "TagAttribute", "InternalMarkerAttribute"],
            metadata.Select(item => item.GetType().Name));

        var baseAuthorize = Assert.IsType<AuthorizeAttribute>(metadata[0]);
        Assert.Equal("base", baseAuthorize.Policy);
        var authorize = Assert.IsType<AuthorizeAttribute>(metadata[2]);
        Assert.Equal("p", authorize.Policy);
        Assert.Equal("a,b", authorize.Roles);
        Assert.Equal("derived", Property(metadata[3], "Name"));

        var tag = metadata[4];
        Assert.Equal(3, Convert.ToInt32(Property(tag, "Access")));
        Assert.Equal(typeof(Dictionary<,>), Property(tag, "Target"));
        Assert.Equal(["x", "y\"z"], (string[])Property(tag, "Names")!);
        Assert.Equal([1, -2], (int[])Property(tag, "Weights")!);
        Assert.Equal((byte)7, Property(tag, "Value"));
        Assert.Equal(-5L, Property(tag, "Big"));
        Assert.Null(tag.GetType().GetField("Other")!.GetValue(tag));

        var flagsOutOfRange = metadata[5];
        Assert.Equal(8, Convert.ToInt32(Property(flagsOutOfRange, "Access")));
        Assert.Equal(typeof(int[]), Property(flagsOutOfRange, "Target"));
        Assert.Empty((string[])Property(flagsOutOfRange, "Names")!);
    }

    [Fact]
    public void EveryKindOfConstantIsWrittenSoTheSameConstructorGetsTheSameValue()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.Usings + """
            namespace Samples;

            public enum Level : long
            {
                Low = -1,
                High = long.MaxValue,
            }

            [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
            public sealed class ValueAttribute : Attribute
            {
                public ValueAttribute(object? value) => Value = value;
                public ValueAttribute(string? text) => Value = "string overload: " + (text ?? "null");
                public object? Value { get; }
            }

            [Obsolete("old")]
            public sealed class OldAttribute : Attribute
            {
            }

            public sealed class GenericAttribute<T> : Attribute
            {
                public Type Argument => typeof(T);
            }

            [ServerEndpoint("/values")]
            [Value('\'')]
            [Value(-1.5)]
            [Value(float.NaN)]
            [Value(double.NegativeInfinity)]
            [Value((sbyte)-3)]
            [Value((short)-4)]
            [Value(uint.MaxValue)]
            [Value(ulong.MaxValue)]
            [Value(long.MinValue)]
            [Value(int.MinValue)]
            [Value((string?)null)]
            [Value((object?)null)]
            [Value(new object?[] { 1, "a", typeof(int), null, Level.Low })]
            [Value(Level.High)]
            [Value((Level)5)]
            [Value("line\nbreak \u00e9")]
            #pragma warning disable CS0618
            [Old]
            #pragma warning restore CS0618
            [Generic<int>]
            public sealed class ValuesEndpoint
            {
                [OnMessage]
                public string Echo(string text) => text;
            }
            """));

        var metadata = assembly.Definition("Samples.ValuesEndpoint").Metadata;
        var values = metadata.Where(item => item.GetType().Name == "ValueAttribute").Select(item => Property(item, "Value")).ToList();
        Assert.Equal('\'', values[0]);
        Assert.Equal(-1.5, values[1]);
        Assert.True(float.IsNaN((float)values[2]!));
        Assert.Equal(double.NegativeInfinity, values[3]);
        Assert.Equal((sbyte)-3, values[4]);
        Assert.Equal((short)-4, values[5]);
        Assert.Equal(uint.MaxValue, values[6]);
        Assert.Equal(ulong.MaxValue, values[7]);
        Assert.Equal(long.MinValue, values[8]);
        Assert.Equal(int.MinValue, values[9]);
        Assert.Equal("string overload: null", values[10]);
        Assert.Null(values[11]);
        var array = Assert.IsType<object?[]>(values[12]);
        Assert.Equal([1, "a", typeof(int), null, "Low"], array.Select(item => item is Enum ? item.ToString() : item));
        Assert.Equal("High", values[13]!.ToString());
        Assert.Equal(5L, Convert.ToInt64(values[14]));
        Assert.Equal("string overload: line\nbreak \u00e9", values[15]);
        Assert.Equal(16, values.Count);
        Assert.Contains(metadata, item => item.GetType().Name == "OldAttribute");
        Assert.Equal(typeof(int), Property(Assert.Single(metadata, item => item.GetType().Name.StartsWith("GenericAttribute", StringComparison.Ordinal)), "Argument"));
    }

    [Fact]
    public void AClientEndpointHasNoMetadata()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.Usings + """
            namespace Samples;

            [Serializable]
            [ClientEndpoint]
            public sealed class MarkedClient
            {
                [OnMessage]
                public void Receive(string text)
                {
                }
            }
            """));

        Assert.Empty(assembly.Definition("Samples.MarkedClient").Metadata);
    }

    [Fact]
    public void OnlyAnEndpointCreatedFromServicesUsesServices()
    {
        Assert.False(LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.EchoText)).Definition("Samples.EchoEndpoint").UsesServices);
        Assert.True(LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.ConstructorInjection)).Definition("Samples.GreetingEndpoint").UsesServices);
    }

    private static object? Property(object instance, string name) =>
        instance.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)!.GetValue(instance);
}
