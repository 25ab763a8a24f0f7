using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Formatter;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Tests.Mqtt.Formatter;

/// <summary>
/// Hostile input: random and mutated packets fed to the decoder. It may decode, ask for more bytes, or throw
/// <see cref="MqttProtocolException"/> — nothing else — and never allocates more than the packet limit for one
/// packet. SHELFAGENT_FUZZ_COUNT sets the number of inputs (default 20,000; the acceptance run uses 1,000,000).
/// </summary>
public sealed class MqttDecoderFuzzTests
{
    private const int MaxPacket = 4096;

    private static readonly byte[][] s_seeds = ((IEnumerable<object[]>)MqttPacketCodecTests.Packets())
        .Select(row => MqttPacketCodecTests.Encode((MqttPacket)row[0]))
        .Where(b => b.Length <= MaxPacket)
        .ToArray();

    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("SHELFAGENT_FUZZ_COUNT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 20_000;

    [Fact]
    public void Decoder_throws_only_protocol_exceptions_for_random_and_mutated_packets()
    {
        var random = new Random(20261122);
        var decoder = new MqttPacketDecoder(MaxPacket);
        var outcomes = new int[3];
        var buffer = new byte[MaxPacket + 64];
        for (var i = 0; i < Count; i++)
        {
            var length = i % 2 == 0 ? RandomPacket(random, buffer) : Mutate(random, s_seeds[random.Next(s_seeds.Length)], buffer);
            outcomes[Decode(decoder, buffer.AsSpan(0, length))]++;
        }

        // The mutations must reach every outcome, or the fuzzer is not exercising the decoder.
        Assert.All(outcomes, n => Assert.True(n > 0, string.Join(",", outcomes)));
    }

    [Fact]
    public void Decoder_allocates_at_most_the_packet_limit_for_any_input_as_a_property()
    {
        var decoder = new MqttPacketDecoder(MaxPacket);
        var arb = ArbMap.Default.ArbFor<byte[]>().Filter(b => b is not null);
        Prop.ForAll(arb, bytes =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Decode(decoder, bytes);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Slack for the packet object, strings' headers and an exception with its message.
            return allocated <= MaxPacket * 3 + 16_384;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decoder_allocates_nothing_for_a_header_announcing_a_huge_packet()
    {
        var decoder = new MqttPacketDecoder();
        Decode(decoder, [0x30, 0xFF, 0xFF, 0xFF, 0x7F]); // warm up the exception path
        var before = GC.GetAllocatedBytesForCurrentThread();
        Decode(decoder, [0x30, 0xFF, 0xFF, 0xFF, 0x7F]);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16_384);
    }

    // 0 = decoded, 1 = needs more bytes, 2 = protocol exception. Any other exception fails the test.
    private static int Decode(MqttPacketDecoder decoder, ReadOnlySpan<byte> bytes)
    {
        try
        {
            var offset = 0;
            var decodedAny = false;
            while (decoder.TryDecode(bytes[offset..], out _, out var consumed))
            {
                offset += consumed;
                decodedAny = true;
            }

            return decodedAny ? 0 : 1;
        }
        catch (MqttProtocolException)
        {
            return 2;
        }
    }

    private static int RandomPacket(Random random, byte[] buffer)
    {
        // A plausible header (any type, any flags) and a remaining length that sometimes matches the body.
        var bodyLength = random.Next(0, 64);
        buffer[0] = (byte)random.Next(256);
        var headerLength = 1 + VariableByteInteger.Write(buffer.AsSpan(1), random.Next(4) == 0 ? random.Next(0, MaxPacket * 2) : bodyLength);
        random.NextBytes(buffer.AsSpan(headerLength, bodyLength));
        return headerLength + bodyLength;
    }

    private static int Mutate(Random random, byte[] seed, byte[] buffer)
    {
        var length = Math.Min(seed.Length, buffer.Length);
        seed.AsSpan(0, length).CopyTo(buffer);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && length > 0; m++)
        {
            switch (random.Next(5))
            {
                case 0: buffer[random.Next(length)] ^= (byte)(1 << random.Next(8)); break;   // flip a bit
                case 1: buffer[random.Next(length)] = (byte)random.Next(256); break;          // replace a byte
                case 2: length = random.Next(length); break;                                  // truncate
                case 3: buffer[random.Next(Math.Min(length, 5))] = 0xFF; break;               // break the header
                default:
                    var extra = Math.Min(random.Next(1, 16), buffer.Length - length);          // trailing junk
                    random.NextBytes(buffer.AsSpan(length, extra));
                    length += extra;
                    break;
            }
        }

        return length;
    }
}
