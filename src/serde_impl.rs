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
    let de = &mut serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        crate::error::Error::json(clean_path(&e.path().to_string()), e.inner().to_string())
    })?;
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
