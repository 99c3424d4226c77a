using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace EventTracker.Server.Hosting;

/// <summary>
/// Data-protection keys kept in this process only. Nothing the server stores or hands out is protected with them (the
/// MCP endpoint is stateless, keys and tokens are checked, not issued), so none needs to outlive the process, and an
/// installed server writes no key directory into its user's profile nor warns that it is unencrypted there.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly Lock _gate = new();
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_gate)
        {
            return _elements.Select(element => new XElement(element)).ToList();
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_gate)
        {
            _elements.Add(new XElement(element));
        }
    }
}
