// The project's own seeded generator, so that a seed gives the same numbers everywhere.
//
// Algorithm (fixed; lesson outputs depend on it):
//  * Seeding: SplitMix64 started at `seed` produces four words, which become the
//    xoshiro256** state s0, s1, s2, s3 in that order. SplitMix64 step:
//        state += 0x9E3779B97F4A7C15
//        z = state
//        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
//        z = (z ^ (z >> 27)) * 0x94D049BB133111EB
//        return z ^ (z >> 31)
//  * Words: xoshiro256** (Blackman and Vigna, 2018):
//        result = rotl(s1 * 5, 7) * 9
//        t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
//  * Uniform in [0, 1): the top 53 bits of a word times 2^-53.
//  * Normal: Box–Muller on two consecutive uniforms u1, u2 using both outputs:
//        r = sqrt(-2 ln(1 - u1)), theta = 2π u2 (2π as the double 2 * Double.pi)
//        first = r cos(theta), second = r sin(theta)
//    so elements 0 and 1 come from the first pair, 2 and 3 from the second, and so on;
//    an odd count drops the last sine. The integer and uniform streams are bit-exact on
//    every platform; normals also need `log`, `cos` and `sin`, which glibc and Apple's
//    libm both round correctly or nearly so (a last-bit difference is possible there).
//  * Integer below n (randint, perm): floor(u · n) for the next uniform u, so randint(low,
//    high) is low + floor(u · (high − low)). Exact for n ≤ 2^53; the bias is below n / 2^53.
//  * Permutation (perm): Durstenfeld's shuffle of 0, 1, …, n−1: for i from n−1 down to 1,
//    swap elements i and floor(u · (i + 1)).
//
// A session owns one generator, started at seed 0 and re-seeded by `manual_seed(n)`; every
// call without `seed=` draws from it and leaves it advanced (training.md §2). A call with
// `seed=k` uses a fresh generator seeded k, so its numbers are those of `manual_seed(k)`
// followed by the same call.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded xoshiro256** generator with uniform and normal doubles.
public struct RandomGenerator: Sendable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Seeds the state from SplitMix64 so that any seed, even 0, gives a good state.
    public init(seed: UInt64) {
        var state = seed
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// The next 64-bit word.
    public mutating func next() -> UInt64 {
        let result = RandomGenerator.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = RandomGenerator.rotl(s3, 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// An integer in 0..<n (n ≥ 1, at most 2^53): floor(u · n).
    public mutating func nextInt(below n: Int) -> Int {
        // The product never rounds up to n for n ≤ 2^53, but a clamp costs nothing.
        min(n - 1, Int((nextUniform() * Double(n)).rounded(.down)))
    }

    /// Fills a buffer with uniform doubles in [0, 1).
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Double>) {
        for i in buffer.indices { buffer[i] = nextUniform() }
    }

    /// Fills a buffer with standard normal doubles (Box–Muller, both outputs used).
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Double>) {
        var i = 0
        let n = buffer.count
        while i < n {
            let u1 = nextUniform()
            let u2 = nextUniform()
            let r = (-2 * log(1 - u1)).squareRoot()
            let theta = 2 * Double.pi * u2
            buffer[i] = r * cos(theta)
            if i + 1 < n { buffer[i + 1] = r * sin(theta) }
            i += 2
        }
    }

    /// Fills a buffer with low + floor(u · (high − low)), integers in low..<high.
    public mutating func fillIntegers(_ buffer: UnsafeMutableBufferPointer<Double>, low: Int, high: Int) {
        for i in buffer.indices { buffer[i] = Double(low + nextInt(below: high - low)) }
    }

    /// Fills a buffer with a random permutation of 0, 1, …, count − 1 (Durstenfeld's shuffle).
    public mutating func fillPermutation(_ buffer: UnsafeMutableBufferPointer<Double>) {
        for i in buffer.indices { buffer[i] = Double(i) }
        var i = buffer.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            buffer.swapAt(i, j)
            i -= 1
        }
    }
}
