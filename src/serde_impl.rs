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
                Err(e) => crate::error::Error::json(
                    clean_path(&e.path().to_string()),
                    e.inner().to_string(),
                ),
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
