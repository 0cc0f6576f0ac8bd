using Annotated.WebSockets.Generators.Tests.Infrastructure;

namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// Full generated files for representative endpoints, compared with the committed baselines in
/// <c>Baselines/&lt;TestName&gt;/</c>. Every run also checks the output compiles without warnings.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void EchoText() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.EchoText));

    [Fact]
    public void BinaryByteArray() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.BinaryByteArray));

    [Fact]
    public void BinaryReadOnlyMemory() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.BinaryReadOnlyMemory));

    [Fact]
    public void PathParameters() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.PathParameters));

    [Fact]
    public void AsyncReturns() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.AsyncReturns));

    [Fact]
    public void Pong() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.Pong));

    [Fact]
    public void PartialText() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.PartialText));

    [Fact]
    public void PartialBinary() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.PartialBinary));

    [Fact]
    public void Streams() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.Streams));

    [Fact]
    public void ConstructorInjection() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.ConstructorInjection));

    [Fact]
    public void ClientEndpoint() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.ClientEndpoint));

    [Fact]
    public void InheritedHandlers() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.InheritedHandlers));

    [Fact]
    public void SubprotocolsAndConfigurator() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.SubprotocolsAndConfigurator));

    [Fact]
    public void PrimitiveResults() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.PrimitiveResults));

    [Fact]
    public void ParsedTextMessages() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.ParsedTextMessages));

    [Fact]
    public void NestedInGlobalNamespace() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.NestedInGlobalNamespace));

    [Fact]
    public void TwoEndpointsRegisteredInOrdinalOrder() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.TwoEndpoints));

    [Fact]
    public void Coders() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.Coders));

    [Fact]
    public void StreamDecoders() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.StreamDecoders));

    [Fact]
    public void DerivedErrorAndNullableResults() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.DerivedErrorAndNullableResults));

    [Fact]
    public void Utf8TextEcho() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.Utf8TextEcho));

    [Fact]
    public void Utf8TextAsyncAndClient() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.Utf8TextAsyncAndClient));

    [Fact]
    public void DescribedEndpoint() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.DescribedEndpoint));

    [Fact]
    public void Utf8JsonCoder() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.Utf8JsonCoder));

    [Fact]
    public void Utf8DecoderChain() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.Utf8DecoderChain));

    [Fact]
    public void RateLimits() => Baseline.Verify(GeneratorHarness.Run(EndpointSources.RateLimits));
}
