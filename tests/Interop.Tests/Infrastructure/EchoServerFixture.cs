namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>samples/Echo: the annotated endpoint at /echo that returns every message unchanged.</summary>
public sealed class EchoServerFixture : SampleServerFixture
{
    /// <summary>Creates the fixture; the sample starts on first use.</summary>
    public EchoServerFixture()
        : base("Annotated.Samples.Echo")
    {
    }
}
