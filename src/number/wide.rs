//! Integers wider than 64 bits that still need no heap: `i128`, and [`I192`] for the cube of
//! any 64-bit integer.
//!
//! A `BigInt` result is two heap allocations (its digits and the `Box` that keeps
//! [`Number`] small). On the threaded WebAssembly build every allocation takes the one
//! spin lock of the shared memory's allocator, so two workers computing big results
//! mostly wait for each other. Results of 64-bit inputs never need more than 192 bits
//! (|x³| <= 2^189), so a task keeps them in these fixed-width forms and only a reader that
//! asks for a [`Number`] builds the `BigInt`, once, on its own thread.

use num_bigint::{BigInt, Sign};

use super::Number;

/// A signed integer of 192 bits (two's complement): wide enough for `x³` of every 64-bit
/// `x`, so that such results stay unboxed (see the module's notes).
///
/// ```
/// use webpool::Number;
/// use webpool::number::I192;
///
/// let cube = I192::cube(-10_000_000_000_000); // -10^39, past 128 bits
/// assert_eq!(cube.to_i128(), None);
/// assert_eq!(Number::from(cube).to_string(), "-1000000000000000000000000000000000000000");
/// assert_eq!(I192::from(-5_i128).to_i128(), Some(-5));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct I192 {
    /// Little-endian 64-bit limbs of the two's complement.
    limbs: [u64; 3],
}

impl I192 {
    /// Bytes in [`I192::to_le_bytes`].
    pub const BYTES: usize = 24;

    /// `x³`, exactly. Three 64-bit limbs hold it: |x| <= 2^63, so |x³| <= 2^189.
    #[inline]
    pub fn cube(x: i64) -> I192 {
        let m = u128::from(x.unsigned_abs());
        // m² < 2^127 fits a u128; m² · m is taken in two 64-bit halves of m².
        let square = m * m;
        let low = (square & u128::from(u64::MAX)) * m;
        let high = (square >> 64) * m + (low >> 64);
        let magnitude = I192 {
            limbs: [low as u64, high as u64, (high >> 64) as u64],
        };
        if x < 0 {
            magnitude.negated()
        } else {
            magnitude
        }
    }

    /// `-self`, wrapping: -(-2^191) is itself, which only [`I192::to_bigint`] meets, and
    /// it reads the result as unsigned.
    fn negated(self) -> I192 {
        let [a, b, c] = self.limbs.map(|limb| !limb);
        let (a, carry) = a.overflowing_add(1);
        let (b, carry) = b.overflowing_add(u64::from(carry));
        I192 {
            limbs: [a, b, c.wrapping_add(u64::from(carry))],
        }
    }

    /// Whether it is below zero.
    pub fn is_negative(self) -> bool {
        (self.limbs[2] as i64) < 0
    }

    /// The value as an `i128`, if it fits.
    pub fn to_i128(self) -> Option<i128> {
        let [a, b, c] = self.limbs;
        let low = i128::from(a) | (i128::from(b) << 64);
        // It fits when the top limb only repeats the sign of the two below it.
        let sign = if low < 0 { u64::MAX } else { 0 };
        (c == sign).then_some(low)
    }

    /// The value as a `BigInt`, built with one allocation (its digits).
    pub fn to_bigint(self) -> BigInt {
        let (sign, magnitude) = if self.is_negative() {
            (Sign::Minus, self.negated())
        } else {
            (Sign::Plus, self)
        };
        // 32-bit digits, as num-bigint takes them, without the leading zeros, so that
        // the digits are allocated once at their final size.
        let mut digits = [0u32; 6];
        for (pair, limb) in digits.chunks_exact_mut(2).zip(magnitude.limbs) {
            pair[0] = limb as u32;
            pair[1] = (limb >> 32) as u32;
        }
        let len = digits.iter().rposition(|&d| d != 0).map_or(0, |i| i + 1);
        if len == 0 {
            return BigInt::ZERO;
        }
        BigInt::from_slice(sign, &digits[..len])
    }

    /// Its 24 bytes of two's complement, least significant first.
    pub fn to_le_bytes(self) -> [u8; I192::BYTES] {
        let mut bytes = [0; I192::BYTES];
        for (chunk, limb) in bytes.chunks_exact_mut(8).zip(self.limbs) {
            chunk.copy_from_slice(&limb.to_le_bytes());
        }
        bytes
    }

    /// The value whose two's complement is `bytes`, least significant first.
    pub fn from_le_bytes(bytes: [u8; I192::BYTES]) -> I192 {
        let mut limbs = [0; 3];
        for (limb, chunk) in limbs.iter_mut().zip(bytes.as_chunks::<8>().0) {
            *limb = u64::from_le_bytes(*chunk);
        }
        I192 { limbs }
    }
}

impl From<i128> for I192 {
    fn from(value: i128) -> Self {
        I192 {
            limbs: [
                value as u64,
                (value >> 64) as u64,
                if value < 0 { u64::MAX } else { 0 },
            ],
        }
    }
}

impl From<i64> for I192 {
    fn from(value: i64) -> Self {
        I192::from(i128::from(value))
    }
}

impl TryFrom<&BigInt> for I192 {
    type Error = ();

    /// The value, if it fits in 192 bits; allocates nothing.
    fn try_from(value: &BigInt) -> Result<Self, ()> {
        let negative = value.sign() == Sign::Minus;
        let magnitude = value.magnitude();
        // 191 bits of magnitude fit either way; -2^191 also fits, as the lowest value.
        let fits = magnitude.bits() <= 191
            || (negative && magnitude.bits() == 192 && magnitude.trailing_zeros() == Some(191));
        if !fits {
            return Err(());
        }
        let mut limbs = [0; 3];
        for (limb, digit) in limbs.iter_mut().zip(magnitude.iter_u64_digits()) {
            *limb = digit;
        }
        let magnitude = I192 { limbs };
        Ok(if negative {
            magnitude.negated()
        } else {
            magnitude
        })
    }
}

impl From<I192> for BigInt {
    fn from(value: I192) -> Self {
        value.to_bigint()
    }
}

/// `value` as the smallest [`Number`] that holds it: an `Int` when it fits in 64 bits, else
/// a `Big` (one allocation for its digits, one for the box).
pub(super) fn number_from_i128(value: i128) -> Number {
    match i64::try_from(value) {
        Ok(v) => Number::Int(v),
        Err(_) => {
            let sign = if value < 0 { Sign::Minus } else { Sign::Plus };
            let magnitude = value.unsigned_abs();
            let digits = [0, 32, 64, 96].map(|shift| (magnitude >> shift) as u32);
            let len = digits.iter().rposition(|&d| d != 0).map_or(0, |i| i + 1);
            Number::Big(Box::new(BigInt::from_slice(sign, &digits[..len])))
        }
    }
}

impl From<I192> for Number {
    /// The smallest [`Number`] that holds it.
    fn from(value: I192) -> Self {
        match value.to_i128() {
            Some(v) => number_from_i128(v),
            None => Number::Big(Box::new(value.to_bigint())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::ToPrimitive;

    #[test]
    fn cubes_match_bigint_at_every_width() {
        let mut x: i64 = 1;
        let mut cases = vec![0, 1, -1, i64::MAX, i64::MIN, i64::MIN + 1];
        while let Some(next) = x.checked_mul(3) {
            cases.extend([x, -x, x + 1, -(x - 1)]);
            x = next;
        }
        for v in cases {
            let exact = BigInt::from(v).pow(3);
            let cube = I192::cube(v);
            assert_eq!(cube.to_bigint(), exact, "{v}³");
            assert_eq!(I192::try_from(&exact), Ok(cube), "{v}³ back");
            assert_eq!(cube.to_i128(), exact.to_i128(), "{v}³ as i128");
            assert_eq!(cube.is_negative(), v < 0, "{v}³ sign");
            assert_eq!(I192::from_le_bytes(cube.to_le_bytes()), cube);
        }
    }

    #[test]
    fn only_192_bits_fit() {
        let top = (BigInt::from(1) << 191u32) - 1;
        assert_eq!(I192::try_from(&top).unwrap().to_bigint(), top);
        let bottom = -(BigInt::from(1) << 191u32);
        assert_eq!(I192::try_from(&bottom).unwrap().to_bigint(), bottom);
        assert_eq!(I192::try_from(&(&top + 1)), Err(()));
        assert_eq!(I192::try_from(&(&bottom - 1)), Err(()));
    }

    #[test]
    fn i128_numbers_are_normalized() {
        for v in [0, -1, i128::from(i64::MAX), i128::from(i64::MIN)] {
            assert!(matches!(Number::from_i128(v), Number::Int(_)), "{v}");
        }
        for v in [
            i128::MAX,
            i128::MIN,
            i128::from(i64::MAX) + 1,
            i128::from(i64::MIN) - 1,
        ] {
            let big = Number::Big(Box::new(BigInt::from(v)));
            assert_eq!(Number::from_i128(v), big, "{v}");
            assert_eq!(Number::from(I192::from(v)), big, "{v}");
            assert_eq!(I192::from(v).to_i128(), Some(v));
        }
    }
}
