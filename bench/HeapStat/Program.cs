using System.Globalization;
using Microsoft.Diagnostics.Runtime;

// Usage: Annotated.WebSockets.Bench.HeapStat PID [TOP]
//        Annotated.WebSockets.Bench.HeapStat --diff A.tsv B.tsv CONNECTIONS
// The first form suspends the process, walks the objects reachable from its roots (so garbage not yet collected is
// not counted) and prints one line per type: count, bytes, name (tab-separated), largest first, after a "reachable"
// total. The second form subtracts two such listings (B - A) and divides by a connection count: what one connection
// of server A holds beyond server B (or beyond the same server with fewer connections).
if (args.Length == 4 && args[0] == "--diff")
{
    Dictionary<string, (long Count, long Bytes)> a = Load(args[1]);
    Dictionary<string, (long Count, long Bytes)> b = Load(args[2]);
    double connections = double.Parse(args[3], CultureInfo.InvariantCulture);
    var rows = a.Keys.Union(b.Keys)
        .Select(name =>
        {
            a.TryGetValue(name, out var x);
            b.TryGetValue(name, out var y);
            return (Name: name, Count: (x.Count - y.Count) / connections, Bytes: (x.Bytes - y.Bytes) / connections);
        })
        .Where(static r => Math.Abs(r.Bytes) >= 4)
        .OrderByDescending(static r => r.Bytes)
        .ToList();
    foreach (var (name, count, bytes) in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes,8:F1} B {count,6:F2} objects  {name}"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Sum(static r => r.Bytes),8:F1} B per connection in all"));
    return 0;
}

if (args.Length is < 1 or > 2 || !int.TryParse(args[0], out int pid))
{
    Console.Error.WriteLine("Usage: HeapStat PID [TOP] | HeapStat --diff A.tsv B.tsv CONNECTIONS");
    return 2;
}

int top = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
using DataTarget target = DataTarget.AttachToProcess(pid, suspend: true);
using ClrRuntime runtime = target.ClrVersions[0].CreateRuntime();
ClrHeap heap = runtime.Heap;
var stats = new Dictionary<string, (long Count, long Bytes)>();
var seen = new HashSet<ulong>();
var pending = new Stack<ulong>();
foreach (ClrRoot root in heap.EnumerateRoots())
{
    pending.Push(root.Object.Address);
}

while (pending.Count > 0)
{
    ulong address = pending.Pop();
    if (address == 0 || !seen.Add(address))
    {
        continue;
    }

    ClrObject item = heap.GetObject(address);
    if (!item.IsValid || item.IsFree)
    {
        continue;
    }

    string name = item.Type?.Name ?? "?";
    stats.TryGetValue(name, out var entry);
    stats[name] = (entry.Count + 1, entry.Bytes + (long)item.Size);
    foreach (ClrObject child in item.EnumerateReferences(carefully: false, considerDependantHandles: true))
    {
        pending.Push(child.Address);
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stats.Values.Sum(static v => v.Count)}\t{stats.Values.Sum(static v => v.Bytes)}\treachable"));
foreach (var (name, entry) in stats.OrderByDescending(static k => k.Value.Bytes).Take(top))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entry.Count}\t{entry.Bytes}\t{name}"));
}

return 0;

static Dictionary<string, (long Count, long Bytes)> Load(string path)
{
    var result = new Dictionary<string, (long Count, long Bytes)>();
    foreach (string line in File.ReadLines(path))
    {
        string[] parts = line.Split('\t');
        if (parts.Length == 3 && parts[2] != "reachable" && long.TryParse(parts[0], out long count) && long.TryParse(parts[1], out long bytes))
        {
            result[parts[2]] = (count, bytes);
        }
    }

    return result;
}
