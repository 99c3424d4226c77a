// Compiled into the netstandard2.0 builds only: members .NET Core and .NET 5 to 9 added that we use.
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace System;

internal static class CorePolyfills
{
    private static readonly Random SharedRandom = new LockedRandom();

    extension(Random)
    {
        /// <summary>A thread-safe instance, as .NET 6's.</summary>
        public static Random Shared => SharedRandom;
    }

    public static bool TryAdd<TKey, TValue>(this Dictionary<TKey, TValue> dictionary, TKey key, TValue value)
        where TKey : notnull
    {
        if (dictionary.ContainsKey(key))
        {
            return false;
        }

        dictionary.Add(key, value);
        return true;
    }

    public static void Deconstruct<TKey, TValue>(this KeyValuePair<TKey, TValue> pair, out TKey key, out TValue value)
    {
        key = pair.Key;
        value = pair.Value;
    }

    public static void Write(this Stream stream, ReadOnlySpan<byte> buffer)
    {
        var copy = buffer.ToArray();
        stream.Write(copy, 0, copy.Length);
    }

    public static Task<Stream> ReadAsStreamAsync(this HttpContent content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return content.ReadAsStreamAsync();
    }

    private sealed class LockedRandom : Random
    {
        private readonly object _gate = new();

        public override int Next()
        {
            lock (_gate)
            {
                return base.Next();
            }
        }

        public override int Next(int maxValue)
        {
            lock (_gate)
            {
                return base.Next(maxValue);
            }
        }

        public override int Next(int minValue, int maxValue)
        {
            lock (_gate)
            {
                return base.Next(minValue, maxValue);
            }
        }

        public override double NextDouble()
        {
            lock (_gate)
            {
                return base.NextDouble();
            }
        }

        public override void NextBytes(byte[] buffer)
        {
            lock (_gate)
            {
                base.NextBytes(buffer);
            }
        }

        protected override double Sample()
        {
            lock (_gate)
            {
                return base.Sample();
            }
        }
    }
}
