using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Plant.Core.Audit;

/// <summary>
/// SHA-256 (FIPS 180-4) of many independent messages at once, eight per pass in the lanes of 256-bit vectors.
/// </summary>
/// <remarks>
/// Verifying the audit chain hashes a million short entries, each on its own. One message at a time, OpenSSL spent
/// about 2.4 s of CPU on them here (no SHA instructions on this CPU, and a call into it per entry); eight lanes
/// do the same rounds for eight entries at once. Messages are grouped by their padded block count, so the lanes of a
/// pass all run the same number of blocks; a group's last few (under eight) go to <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>.
/// Tests compare every result with that one.
/// </remarks>
internal static class Sha256Lanes
{
    private const int Lanes = 8;
    private const int BlockSize = 64;
    private const int HashSize = 32;

    // Longest message that the lanes take; longer ones (none in the audit chain) go to SHA256.HashData one by one.
    private const int MaxBlocks = 64;

    private static readonly uint[] s_initial =
    [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];

    private static readonly uint[] s_k =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>
    /// Writes SHA-256 of message <c>i</c>, <c>data[bounds[i]..bounds[i + 1]]</c>, to <c>hashes[32 * i..]</c>, for
    /// every message: the messages lie one after another, and <paramref name="bounds"/> has one more entry than them.
    /// </summary>
    public static void HashAll(ReadOnlySpan<byte> data, ReadOnlySpan<int> bounds, Span<byte> hashes)
    {
        var count = bounds.Length - 1;
        if (!Vector256.IsHardwareAccelerated)
        {
            for (var i = 0; i < count; i++)
            {
                SHA256.HashData(data[bounds[i]..bounds[i + 1]], hashes.Slice(i * HashSize, HashSize));
            }

            return;
        }

        // Messages by padded block count: one pass of eight needs eight messages of the same count.
        Span<int> waiting = stackalloc int[(MaxBlocks + 1) * Lanes];
        Span<int> waitingCount = stackalloc int[MaxBlocks + 1];
        waitingCount.Clear();
        for (var i = 0; i < count; i++)
        {
            var blocks = (bounds[i + 1] - bounds[i] + 8) / BlockSize + 1;
            if (blocks > MaxBlocks)
            {
                SHA256.HashData(data[bounds[i]..bounds[i + 1]], hashes.Slice(i * HashSize, HashSize));
                continue;
            }

            var group = waiting.Slice(blocks * Lanes, Lanes);
            group[waitingCount[blocks]++] = i;
            if (waitingCount[blocks] == Lanes)
            {
                HashEight(data, bounds, group, blocks, hashes);
                waitingCount[blocks] = 0;
            }
        }

        for (var blocks = 1; blocks <= MaxBlocks; blocks++)
        {
            foreach (var i in waiting.Slice(blocks * Lanes, waitingCount[blocks]))
            {
                SHA256.HashData(data[bounds[i]..bounds[i + 1]], hashes.Slice(i * HashSize, HashSize));
            }
        }
    }

    /// <summary>Hashes the eight messages named by <paramref name="lanes"/>, all of <paramref name="blocks"/> padded blocks.</summary>
    private static void HashEight(ReadOnlySpan<byte> data, ReadOnlySpan<int> bounds, ReadOnlySpan<int> lanes, int blocks, Span<byte> hashes)
    {
        // Each lane's message is read in place up to its last whole block; what follows (the rest of the message,
        // 0x80, zeros, the length in bits) is built in that lane's tail, at most two blocks.
        Span<int> whole = stackalloc int[Lanes];
        Span<byte> tails = stackalloc byte[Lanes * 2 * BlockSize];
        tails.Clear();
        for (var lane = 0; lane < Lanes; lane++)
        {
            var (start, length) = (bounds[lanes[lane]], bounds[lanes[lane] + 1] - bounds[lanes[lane]]);
            whole[lane] = length / BlockSize;
            var tail = tails.Slice(lane * 2 * BlockSize, 2 * BlockSize);
            var rest = length - whole[lane] * BlockSize;
            data.Slice(start + whole[lane] * BlockSize, rest).CopyTo(tail);
            tail[rest] = 0x80;
            BinaryPrimitives.WriteUInt64BigEndian(tail.Slice((blocks - whole[lane]) * BlockSize - 8), (ulong)length * 8);
        }

        Span<uint> words = stackalloc uint[16 * Lanes];
        Span<Vector256<uint>> state = stackalloc Vector256<uint>[8];
        for (var i = 0; i < 8; i++)
        {
            state[i] = Vector256.Create(s_initial[i]);
        }

        for (var block = 0; block < blocks; block++)
        {
            // Word t of every lane side by side: words[t * 8 + lane].
            for (var lane = 0; lane < Lanes; lane++)
            {
                var source = block < whole[lane]
                    ? data.Slice(bounds[lanes[lane]] + block * BlockSize, BlockSize)
                    : tails.Slice(lane * 2 * BlockSize + (block - whole[lane]) * BlockSize, BlockSize);
                for (var t = 0; t < 16; t++)
                {
                    words[t * Lanes + lane] = BinaryPrimitives.ReadUInt32BigEndian(source.Slice(t * 4));
                }
            }

            Compress(state, words);
        }

        for (var lane = 0; lane < Lanes; lane++)
        {
            var hash = hashes.Slice(lanes[lane] * HashSize, HashSize);
            for (var i = 0; i < 8; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(hash.Slice(i * 4), state[i].GetElement(lane));
            }
        }
    }

    private static void Compress(Span<Vector256<uint>> state, ReadOnlySpan<uint> words)
    {
        Span<Vector256<uint>> w = stackalloc Vector256<uint>[64];
        for (var t = 0; t < 16; t++)
        {
            w[t] = Vector256.Create(words.Slice(t * Lanes, Lanes));
        }

        for (var t = 16; t < 64; t++)
        {
            var (w2, w15) = (w[t - 2], w[t - 15]);
            var s1 = Rotr(w2, 17) ^ Rotr(w2, 19) ^ Vector256.ShiftRightLogical(w2, 10);
            var s0 = Rotr(w15, 7) ^ Rotr(w15, 18) ^ Vector256.ShiftRightLogical(w15, 3);
            w[t] = s1 + w[t - 7] + s0 + w[t - 16];
        }

        var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]);
        for (var t = 0; t < 64; t++)
        {
            var t1 = h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ Vector256.AndNot(g, e)) + Vector256.Create(s_k[t]) + w[t];
            var t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            (h, g, f, e, d, c, b, a) = (g, f, e, d + t1, c, b, a, t1 + t2);
        }

        (state[0], state[1], state[2], state[3]) = (state[0] + a, state[1] + b, state[2] + c, state[3] + d);
        (state[4], state[5], state[6], state[7]) = (state[4] + e, state[5] + f, state[6] + g, state[7] + h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr(Vector256<uint> x, int n) => Vector256.ShiftRightLogical(x, n) | Vector256.ShiftLeft(x, 32 - n);
}
