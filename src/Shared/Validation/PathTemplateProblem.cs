namespace Annotated.WebSockets.SourceGeneration.Validation;

/// <summary>What is wrong with a [ServerEndpoint] path; each value has its own diagnostic.</summary>
internal enum PathTemplateProblem
{
    None,
    Empty,
    NotRooted,
    Malformed,
}
