//! STUB: replaced by the numbers helper.
use super::Number;
pub(super) fn write_repr(n: &Number, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match n {
        Number::Int(v) => write!(f, "{v}"),
        Number::Big(b) => write!(f, "{b}"),
        Number::Float(x) => write!(f, "{x:?}"),
    }
}
