//! serde helpers: string-shaped types, and JSON reading with field paths.

/// Serialize with `Display`, deserialize with `FromStr` (errors carry its message).
macro_rules! via_string {
    ($ty:ty, $expecting:literal) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl ::serde::de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse::<$ty>().map_err(|e| E::custom(e.reason()))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

pub(crate) use via_string;

/// Reads `T` from JSON text; a failure names the field path.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, crate::error::Error> {
    // Most documents are valid: read them without tracking the path (about
    // a third of the time went to the tracking), and read a failing document
    // again with it, for the error's path. Both passes run the same
    // deserializers, so they fail alike.
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = match T::deserialize(&mut *de) {
        Ok(value) => value,
        Err(first) => {
            let de = &mut serde_json::Deserializer::from_str(text);
            return Err(match serde_path_to_error::deserialize::<_, T>(&mut *de) {
                Err(e) => {
                    let path = clean_path(&e.path().to_string());
                    let message = e.inner().to_string();
                    let message = if path.is_empty() {
                        root_in_words(text, message)
                    } else {
                        message
                    };
                    crate::error::Error::json(path, message)
                }
                // Not expected (the passes run the same code), but never a panic.
                Ok(_) => crate::error::Error::json(String::new(), first.to_string()),
            });
        }
    };
    // Nothing may follow the document: a second document or stray text would
    // otherwise be dropped silently.
    de.end()
        .map_err(|e| crate::error::Error::json(String::new(), e.to_string()))?;
    Ok(value)
}

pub(crate) use crate::error::shown;

/// `text` as a message quotes a refused value: in double quotes, cut after
/// [`SHOWN_CHARS`](crate::error::SHOWN_CHARS) characters with an ellipsis.
pub(crate) fn quoted(text: &str) -> String {
    format!("\"{}\"", shown(text))
}

/// What a value that is not the number wanted is, in JSON's words, for
/// "got ..." in a message.
struct Got<'a>(Unexpected<'a>);

enum Unexpected<'a> {
    Text(&'a str),
    Number(String),
    Bool(bool),
    Null,
    List,
    Object,
}

impl std::fmt::Display for Got<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Unexpected::Text(t) => write!(f, "the text {}", quoted(t)),
            Unexpected::Number(n) => f.write_str(&shown(n)),
            Unexpected::Bool(b) => write!(f, "{b}"),
            Unexpected::Null => f.write_str("null"),
            Unexpected::List => f.write_str("a list"),
            Unexpected::Object => f.write_str("an object"),
        }
    }
}

/// A number a person writes in a field, read in words: a refusal names the
/// field, the form wanted and what was given (`age must be a whole number
/// of years from 0 to 120, got the text "34"`), never a Rust type. Read
/// through `deserialize_any`, so a string or a list reaches the visitor and
/// is named as such (JSON is self-describing).
#[derive(Clone, Copy)]
pub(crate) struct NumberField {
    /// The field's name, as the JSON key.
    pub(crate) field: &'static str,
    /// What one unit is, plural (`years`, `days`, `miles`).
    pub(crate) unit: &'static str,
    /// Whole numbers only, from 0 to the first (as the message says it:
    /// the field's own range), refused above the second (what the stored
    /// type holds: a value between the two is left to validation, which
    /// reports every problem at once); else any finite number.
    pub(crate) whole: Option<(u64, u64)>,
}

impl NumberField {
    fn refuse<E: serde::de::Error>(self, got: Unexpected<'_>) -> E {
        E::custom(format!("{self}, got {}", Got(got)))
    }

    fn whole<E: serde::de::Error>(self, n: f64, shown: String) -> Result<f64, E> {
        match self.whole {
            Some((_, limit)) if n.fract() != 0.0 || n < 0.0 || n > limit as f64 => {
                Err(self.refuse(Unexpected::Number(shown)))
            }
            _ if !n.is_finite() => Err(self.refuse(Unexpected::Number(shown))),
            _ => Ok(n),
        }
    }

    /// Reads the number as an `f64` (whole numbers up to 2^53 are exact,
    /// far beyond any limit used here).
    pub(crate) fn read<'de, D: serde::Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
        d.deserialize_any(self)
    }

    /// Reads `null` as `None`, anything else as [`NumberField::read`].
    pub(crate) fn read_opt<'de, D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<Option<f64>, D::Error> {
        struct Opt(NumberField);
        impl<'de> serde::de::Visitor<'de> for Opt {
            type Value = Option<f64>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{} or null", self.0)
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Option<f64>, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Option<f64>, E> {
                Ok(None)
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Option<f64>, D::Error> {
                self.0.read(d).map(Some)
            }
        }
        d.deserialize_option(Opt(self))
    }
}

impl std::fmt::Display for NumberField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.whole {
            Some((max, _)) => write!(
                f,
                "{} must be a whole number of {} from 0 to {max}",
                self.field, self.unit
            ),
            None => write!(f, "{} must be a number of {}", self.field, self.unit),
        }
    }
}

impl<'de> serde::de::Visitor<'de> for NumberField {
    type Value = f64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<f64, E> {
        self.whole(v as f64, v.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<f64, E> {
        self.whole(v as f64, v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<f64, E> {
        self.whole(v, v.to_string())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<f64, E> {
        Err(self.refuse(Unexpected::Text(v)))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<f64, E> {
        Err(self.refuse(Unexpected::Bool(v)))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<f64, E> {
        Err(self.refuse(Unexpected::Null))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<f64, E> {
        Err(self.refuse(Unexpected::Null))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<f64, A::Error> {
        Err(self.refuse(Unexpected::List))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<f64, A::Error> {
        Err(self.refuse(Unexpected::Object))
    }
}

/// `deserialize_with` readers for the numbers people write, each naming
/// its field ([`NumberField`]). The range said is the field's own (an age
/// is 0 to 120 years) or the stored type's (days up to 65,535); reading
/// refuses only what the type cannot hold (an age of 130 is read, and
/// validation reports it with every other problem of the document).
pub(crate) mod numbers {
    use serde::Deserializer;

    use super::NumberField;

    /// A whole number from 0 to `$max` in words, read up to the integer
    /// type's maximum (validation refuses what lies between).
    macro_rules! whole {
        ($(#[$m:meta])* $name:ident, $opt:ident: $ty:ty, $field:literal, $unit:literal, $max:expr) => {
            $(#[$m])*
            #[allow(dead_code)]
            pub(crate) fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                const F: NumberField = NumberField { field: $field, unit: $unit, whole: Some(($max as u64, <$ty>::MAX as u64)) };
                // Whole, from 0 to the type's maximum: the cast is exact.
                F.read(d).map(|n| n as $ty)
            }

            $(#[$m])*
            #[allow(dead_code)]
            pub(crate) fn $opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                const F: NumberField = NumberField { field: $field, unit: $unit, whole: Some(($max as u64, <$ty>::MAX as u64)) };
                F.read_opt(d).map(|n| n.map(|n| n as $ty))
            }
        };
    }

    /// A number of any size or sign (a range rule, if any, is validation's).
    macro_rules! decimal {
        ($(#[$m:meta])* $name:ident, $opt:ident, $field:literal, $unit:literal) => {
            $(#[$m])*
            #[allow(dead_code)]
            pub(crate) fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
                const F: NumberField = NumberField { field: $field, unit: $unit, whole: None };
                F.read(d)
            }

            $(#[$m])*
            #[allow(dead_code)]
            pub(crate) fn $opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
                const F: NumberField = NumberField { field: $field, unit: $unit, whole: None };
                F.read_opt(d)
            }
        };
    }

    whole!(
        /// An age in whole years, 0 to 120 (as [`PatientNeeds::validate`](crate::PatientNeeds::validate) and `AgeRange` say).
        age, age_opt: u8, "age", "years", 120
    );
    whole!(
        /// The youngest age a program serves.
        min_age, min_age_opt: u8, "min", "years", 120
    );
    whole!(
        /// The oldest age a program serves.
        max_age, max_age_opt: u8, "max", "years", 120
    );
    whole!(
        /// Days since an inpatient discharge.
        discharge_days, discharge_days_opt: u16, "days_since_inpatient_discharge", "days", u16::MAX
    );
    whole!(
        /// A program's typical wait.
        wait_days, wait_days_opt: u16, "typical_wait_days", "days", u16::MAX
    );
    whole!(
        /// A referral's days on the waiting list.
        waiting_days, waiting_days_opt: u16, "waiting_days", "days", u16::MAX
    );
    whole!(
        /// A program's open places.
        open_slots, open_slots_opt: u32, "open_slots", "places", u32::MAX
    );
    decimal!(
        /// How far a patient can travel.
        travel_miles, travel_miles_opt, "max_travel_miles", "miles"
    );
    decimal!(
        /// A latitude (its range is validation's).
        latitude, latitude_opt, "latitude", "degrees"
    );
    decimal!(
        /// A longitude (its range is validation's).
        longitude, longitude_opt, "longitude", "degrees"
    );
}

/// serde's message for a document of the wrong shape at the top ("invalid
/// length 0, expected ..." for `[]`, "invalid type: string ..." with the
/// whole string), said as what the document is and what it should be.
fn root_in_words(text: &str, message: String) -> String {
    let is = match text.trim_start().as_bytes().first() {
        Some(b'[') => "a list",
        Some(b'"') => "a text",
        Some(b't' | b'f') => "true or false",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        _ => return message,
    };
    match message.split_once(", expected ") {
        Some((head, expected))
            if head.starts_with("invalid length ") || head.starts_with("invalid type: ") =>
        {
            // A reader derived without words of its own says "struct Doc
            // with 2 elements": at the top, every document is an object.
            let expected = match expected.strip_prefix("struct ") {
                Some(rest) => match rest.split_once(" at line ") {
                    Some((_, at)) => format!("a JSON object with its fields at line {at}"),
                    None => "a JSON object with its fields".to_owned(),
                },
                None => expected.to_owned(),
            };
            format!("the document is {is}; expected {expected}")
        }
        _ => message,
    }
}

/// serde_path_to_error writes `.` for the root and `programs[3].name` otherwise.
fn clean_path(p: &str) -> String {
    if p == "." {
        String::new()
    } else {
        p.to_owned()
    }
}

/// A short list read at its exact length: up to 16 items are gathered on the
/// stack and moved into a `Vec` of exactly their number (one allocation,
/// none for an empty list), where the `Vec` reader serde gives grows one
/// step at a time (4, 8, 16 ...), copying each time and leaving the spare
/// room allocated. Longer lists go on growing as usual. It reads what
/// `Vec<T>` reads, fails where it fails and says the same
/// (`#[serde(deserialize_with = "crate::serde_impl::exact_vec")]`).
pub(crate) fn exact_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);

    impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            // As serde's `Vec` reader says.
            f.write_str("a sequence")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            const ON_STACK: usize = 16;
            let mut buf: [Option<T>; ON_STACK] = std::array::from_fn(|_| None);
            let mut n = 0;
            while n < ON_STACK {
                match seq.next_element()? {
                    Some(item) => {
                        buf[n] = Some(item);
                        n += 1;
                    }
                    None => break,
                }
            }
            let mut items = Vec::with_capacity(n);
            items.extend(buf[..n].iter_mut().filter_map(Option::take));
            if n == ON_STACK {
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
            }
            Ok(items)
        }
    }

    d.deserialize_seq(V(std::marker::PhantomData))
}

/// A list written with each item's `Display` sentence as `"text"` beside its
/// fields (`#[serde(with = "crate::serde_impl::with_text")]` on a `Vec` of
/// reasons, exclusion reasons or alerts). Reading ignores `"text"`: the
/// typed fields are the data, the sentence is derived from them.
pub(crate) mod with_text {
    use std::fmt::Display;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// One item and its sentence, as one JSON object.
    struct WithText<'a, T>(&'a T);

    impl<T: Serialize + Display> Serialize for WithText<'_, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            #[derive(Serialize)]
            struct Out<'a, T> {
                #[serde(flatten)]
                value: &'a T,
                text: String,
            }
            Out {
                value: self.0,
                text: self.0.to_string(),
            }
            .serialize(s)
        }
    }

    pub(crate) fn serialize<T, S>(items: &[T], s: S) -> Result<S::Ok, S::Error>
    where
        T: Serialize + Display,
        S: Serializer,
    {
        s.collect_seq(items.iter().map(WithText))
    }

    pub(crate) fn deserialize<'de, T, D>(d: D) -> Result<Vec<T>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Vec::<T>::deserialize(d)
    }
}

/// An `f64` that may be positive infinity (an open-ended limit, an unknown
/// distance), written as `null` (JSON has no infinity) and read back from
/// `null` as infinity.
pub(crate) mod infinite_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_none()
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
    }
}

#[cfg(test)]
mod tests {
    use super::exact_vec;

    fn read_exact(json: &str) -> Result<Vec<u16>, String> {
        let de = &mut serde_json::Deserializer::from_str(json);
        exact_vec(&mut *de).map_err(|e| e.to_string())
    }

    /// Lists shorter than, as long as and longer than the stack's room read
    /// as serde's `Vec` reads them, at their exact length, and fail alike.
    #[test]
    fn exact_vec_reads_as_vec() {
        for n in [0usize, 1, 2, 15, 16, 17, 40] {
            let items: Vec<u16> = (0..n as u16).map(|i| i * 7).collect();
            let json = serde_json::to_string(&items).unwrap_or_default();
            let read = read_exact(&json);
            assert_eq!(read, Ok(items.clone()), "{json}");
            if n <= 16 {
                assert_eq!(read.map(|v| v.capacity()), Ok(n), "{json}");
            }
            for bad in [0, n / 2, n] {
                let mut text: Vec<String> = items.iter().map(u16::to_string).collect();
                text.insert(bad, "-1".into());
                let json = format!("[{}]", text.join(","));
                let vec = serde_json::from_str::<Vec<u16>>(&json).map_err(|e| e.to_string());
                assert!(vec.is_err());
                assert_eq!(read_exact(&json), vec.map(|_| Vec::new()), "{json}");
            }
        }
        for other in ["{}", "\"a\"", "null", "3"] {
            let vec = serde_json::from_str::<Vec<u16>>(other).map_err(|e| e.to_string());
            assert_eq!(read_exact(other), vec, "{other}");
        }
    }
}
