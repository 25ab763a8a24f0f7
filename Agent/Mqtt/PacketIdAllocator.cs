namespace ShelfAgent.Mqtt;

/// <summary>
/// Packet identifiers 1..65535 (MQTT 3.1.1 §2.3.1): handed out in increasing order, wrapping after 65,535, and
/// never reusing an id still in flight. Not thread-safe: the client calls it under its lock.
/// </summary>
public sealed class PacketIdAllocator
{
    private readonly ulong[] _inUse = new ulong[65_536 / 64];
    private ushort _last;

    /// <summary>Number of ids currently in use.</summary>
    public int InUse { get; private set; }

    /// <summary>Takes the next free id after the last one handed out; false when all 65,535 are in use.</summary>
    public bool TryAllocate(out ushort id)
    {
        for (var i = 0; i < 65_535; i++)
        {
            var candidate = _last == ushort.MaxValue ? (ushort)1 : (ushort)(_last + 1);
            _last = candidate;
            if (!IsInUse(candidate))
            {
                _inUse[candidate >> 6] |= 1UL << (candidate & 63);
                InUse++;
                id = candidate;
                return true;
            }
        }

        id = 0;
        return false;
    }

    /// <summary>True while <paramref name="id"/> is allocated.</summary>
    public bool IsInUse(ushort id) => (_inUse[id >> 6] & (1UL << (id & 63))) != 0;

    /// <summary>Returns <paramref name="id"/> to the pool; false if it was not in use (e.g. a duplicate PUBACK).</summary>
    public bool Release(ushort id)
    {
        if (id == 0 || !IsInUse(id))
        {
            return false;
        }

        _inUse[id >> 6] &= ~(1UL << (id & 63));
        InUse--;
        return true;
    }
}
