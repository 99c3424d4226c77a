using EventTracker.Server.Streams;

namespace EventTracker.Server.Tests.Streams;

/// <summary>
/// A reader's queue takes and adds messages in blocks; whatever the sizes, where its array wraps and when it grows, it
/// gives back exactly what a plain first-in, first-out queue would.
/// </summary>
public sealed class MessageRingTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(16, 3)]
    [InlineData(100, 42)]
    [InlineData(1000, 5)]
    public void Blocks_in_and_out_keep_first_in_first_out_order(int capacity, int seed)
    {
        var random = new Random(seed);
        var ring = new MessageRing(capacity);
        var model = new Queue<BroadcastMessage>();
        var next = 1L;
        for (var step = 0; step < 5_000; step++)
        {
            switch (random.Next(3))
            {
                case 0 when model.Count < capacity:
                    var offered = Enumerable.Range(0, random.Next(1, capacity - model.Count + 3)).Select(_ => Message(next++)).ToList();
                    var start = Math.Max(0, offered.Count - (capacity - model.Count));
                    ring.AddRange(offered.Skip(start).ToArray());
                    offered.Skip(start).ToList().ForEach(model.Enqueue);
                    break;
                case 1 when model.Count > 0:
                    var count = random.Next(1, model.Count + 1);
                    var newest = ring.TakeOldest(count);
                    BroadcastMessage taken = null!;
                    for (var i = 0; i < count; i++)
                    {
                        taken = model.Dequeue();
                    }

                    Assert.Same(taken, newest);
                    break;
                default:
                    Assert.Equal(model.TryDequeue(out var expected), ring.TryTake(out var actual));
                    Assert.Same(expected, actual);
                    break;
            }

            Assert.Equal(model.Count, ring.Count);
        }

        while (model.TryDequeue(out var expected))
        {
            Assert.True(ring.TryTake(out var actual));
            Assert.Same(expected, actual);
        }

        Assert.False(ring.TryTake(out _));
    }

    [Fact]
    public void More_than_the_capacity_is_refused()
    {
        var ring = new MessageRing(3);
        ring.AddRange([Message(1), Message(2)]);

        Assert.Throws<InvalidOperationException>(() => ring.AddRange([Message(3), Message(4)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.TakeOldest(3));
    }

    private static BroadcastMessage Message(long id) => new(id, [(byte)id]);
}
