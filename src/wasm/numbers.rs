//! Numbers held inside WebAssembly memory, made from text or from typed arrays.

use std::sync::Arc;

use js_sys::{Float64Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::number::{Number, parse_numbers};
use crate::pool::{Input, Items};

/// A list of numbers inside WebAssembly memory, ready for a run.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Numbers {
    pub(crate) numbers: Shared,
}

/// Numbers that runs share without copying them (`Arc<[T]>::from(Vec)` would copy):
/// packed when they are all 64-bit integers, so that a run reads them with no tag each.
#[derive(Clone, Debug)]
pub(crate) enum Shared {
    Ints(Arc<Vec<i64>>),
    Numbers(Arc<Vec<Number>>),
}

impl Input for Shared {
    fn items(&self) -> Items<'_> {
        match self {
            Shared::Ints(v) => Items::Ints(v),
            Shared::Numbers(v) => Items::Numbers(v),
        }
    }
}

impl From<Vec<i64>> for Numbers {
    fn from(ints: Vec<i64>) -> Self {
        Numbers {
            numbers: Shared::Ints(Arc::new(ints)),
        }
    }
}

impl From<Vec<Number>> for Numbers {
    /// Packed when every number is a 64-bit integer (what people type, mostly).
    fn from(numbers: Vec<Number>) -> Self {
        let int = |n: &Number| match n {
            Number::Int(v) => Some(*v),
            _ => None,
        };
        match numbers.iter().map(int).collect::<Option<Vec<i64>>>() {
            Some(ints) => ints.into(),
            None => Numbers {
                numbers: Shared::Numbers(Arc::new(numbers)),
            },
        }
    }
}

#[wasm_bindgen]
impl Numbers {
    /// Parses what a person typed. A bad input throws an `Error` whose `token`, `item`,
    /// `start` and `end` (UTF-16 offsets into `text`) say where the mistake is.
    pub fn parse(text: &str) -> Result<Numbers, JsValue> {
        match parse_numbers(text) {
            Ok(numbers) => Ok(numbers.into()),
            Err(e) => {
                let error = js_sys::Error::new(&e.to_string());
                let utf16 =
                    |byte: usize| text[..byte.min(text.len())].encode_utf16().count() as f64;
                let set = |key: &str, value: JsValue| Reflect::set(&error, &key.into(), &value);
                set("name", "ParseError".into())?;
                set("token", e.token.as_str().into())?;
                set("item", (e.item as f64).into())?;
                set("start", utf16(e.span.start).into())?;
                set("end", utf16(e.span.end).into())?;
                Err(error.into())
            }
        }
    }

    /// Numbers from a `Float64Array`: integral values become Python ints, others floats.
    #[wasm_bindgen(js_name = fromFloat64Array)]
    pub fn from_float64_array(values: &Float64Array) -> Result<Numbers, JsError> {
        let values = values.to_vec();
        if let Some((i, x)) = values.iter().enumerate().find(|(_, x)| !x.is_finite()) {
            let item = i + 1;
            return Err(JsError::new(&format!(
                "item {item} ({x}) is not a finite number"
            )));
        }
        // Integral values below 2^53 are exact in a double: keep them as Python ints.
        let integral = |x: f64| x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0;
        if values.iter().all(|&x| integral(x)) {
            return Ok(values
                .into_iter()
                .map(|x| x as i64)
                .collect::<Vec<_>>()
                .into());
        }
        let number = |x: f64| {
            if integral(x) {
                Number::Int(x as i64)
            } else {
                Number::Float(x)
            }
        };
        let numbers: Vec<Number> = values.into_iter().map(number).collect();
        Ok(Numbers {
            numbers: Shared::Numbers(Arc::new(numbers)),
        })
    }

    /// Numbers from an `Int32Array`, the cheapest way to send many small integers.
    #[wasm_bindgen(js_name = fromInt32Array)]
    pub fn from_int32_array(values: &js_sys::Int32Array) -> Numbers {
        values
            .to_vec()
            .into_iter()
            .map(i64::from)
            .collect::<Vec<_>>()
            .into()
    }

    /// Numbers from a `BigInt64Array`: every 64-bit integer, exactly, copied once.
    #[wasm_bindgen(js_name = fromBigInt64Array)]
    pub fn from_big_int64_array(values: &js_sys::BigInt64Array) -> Numbers {
        values.to_vec().into()
    }

    /// How many numbers there are.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.numbers.items().len()
    }

    /// A summary for a page: `{ length, first: [...], last: [...] }`.
    pub fn preview(&self, count: usize) -> Result<Object, JsValue> {
        let n = self.numbers.items().len();
        let object = Object::new();
        Reflect::set(&object, &"length".into(), &(n as f64).into())?;
        Reflect::set(&object, &"first".into(), &strings(self.slice(0, count)))?;
        Reflect::set(
            &object,
            &"last".into(),
            &strings(self.slice(n.saturating_sub(count).max(count), n)),
        )?;
        Ok(object)
    }
}

impl Numbers {
    /// The numbers `from..to` as Python prints them.
    fn slice(&self, from: usize, to: usize) -> Vec<String> {
        let items = self.numbers.items();
        let to = to.min(items.len());
        items
            .slice(from.min(to)..to)
            .iter()
            .map(|n| n.to_string())
            .collect()
    }
}

fn strings(values: Vec<String>) -> JsValue {
    values
        .into_iter()
        .map(JsValue::from)
        .collect::<js_sys::Array>()
        .into()
}
