namespace ShelfAgent.Transport;

/// <summary>
/// Follows the packet ids MQTTnet hands out on one connection (1, 2, … 65,535, 1, …: it restarts at 1 on every
/// connect and wraps without checking which ids are still in use), so that we never let it reuse an id that still
/// waits for its acknowledgment (MQTT 5 §2.2.1, 3.1.1 §2.3.1): a publish whose id would clash waits until that id is
/// free. Every call that takes an id (QoS 1 publish, subscribe, unsubscribe) goes through <see cref="TryTake"/> in the
/// same order as it reaches MQTTnet. Not thread-safe: the transport holds its id lock around it.
/// </summary>
internal sealed class PacketIdMirror
{
    private readonly HashSet<ushort> _inUse = [];
    private readonly Dictionary<ushort, TaskCompletionSource> _waiters = [];
    private ushort _last;

    /// <summary>Ids taken and not released.</summary>
    public int InUse => _inUse.Count;

    /// <summary>The id MQTTnet will give the next packet.</summary>
    public ushort Next => _last == ushort.MaxValue ? (ushort)1 : (ushort)(_last + 1);

    /// <summary>Takes the next id if it is free; otherwise returns a task that completes when it is released.</summary>
    public bool TryTake(out ushort id, out Task? free)
    {
        id = Next;
        if (_inUse.Contains(id))
        {
            if (!_waiters.TryGetValue(id, out var waiter))
            {
                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters[id] = waiter;
            }

            free = waiter.Task;
            return false;
        }

        _last = id;
        _inUse.Add(id);
        free = null;
        return true;
    }

    /// <summary>Gives back an id taken by mistake: MQTTnet refused the call before allocating it.</summary>
    public void Untake(ushort id)
    {
        if (_last == id && _inUse.Remove(id))
        {
            _last = id == 1 ? ushort.MaxValue : (ushort)(id - 1);
            Wake(id);
        }
    }

    /// <summary>The packet with <paramref name="id"/> was acknowledged or failed.</summary>
    public void Release(ushort id)
    {
        if (_inUse.Remove(id))
        {
            Wake(id);
        }
    }

    /// <summary>The connection ended: wakes every waiter (the next connection starts its own mirror).</summary>
    public void ReleaseAll()
    {
        _inUse.Clear();
        foreach (var waiter in _waiters.Values)
        {
            waiter.TrySetResult();
        }

        _waiters.Clear();
    }

    private void Wake(ushort id)
    {
        if (_waiters.Remove(id, out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
