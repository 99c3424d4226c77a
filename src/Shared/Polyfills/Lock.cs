// Compiled into the builds for frameworks before .NET 9: System.Threading.Lock's shape over Monitor, so the same
// lock statements compile everywhere and use the dedicated type where it exists.
namespace System.Threading;

internal sealed class Lock
{
    private readonly object _monitor = new();

    public Scope EnterScope()
    {
        Monitor.Enter(_monitor);
        return new Scope(_monitor);
    }

    public readonly ref struct Scope(object monitor)
    {
        public void Dispose() => Monitor.Exit(monitor);
    }
}
