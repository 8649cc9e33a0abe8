//! A macro for the small closed vocabularies (modalities, licenses, levels ...).
//!
//! Each generated enum has a machine key (snake_case, used by serde), a plain
//! English label (used by `Display`), `FromStr` accepting either (ASCII case and
//! surrounding space ignored), `ALL` in declaration order, and (inside the
//! crate) a dense `index` and `bit` for bitmasks.

/// Defines a closed vocabulary enum. See the module docs.
macro_rules! terms {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $what:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $key:literal, $label:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            #[doc = concat!("Every `", stringify!($name), "`, in declaration order.")]
            ///
            /// # Example
            ///
            /// ```
            /// use carematch::{*, assign::{HoldKind, ReferralStatus}, level::*, matching::*, vocabulary::*, import::*, screening::{CssrsItem, Instrument, Sex}};
            #[doc = concat!("assert!(!", stringify!($name), "::ALL.is_empty());")]
            /// ```
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// What this vocabulary names, for messages.
            ///
            /// # Example
            ///
            /// ```
            /// # use carematch::{*, assign::{HoldKind, ReferralStatus}, level::*, matching::*, vocabulary::*, import::*, screening::{CssrsItem, Instrument, Sex}};
            #[doc = concat!("assert!(!", stringify!($name), "::WHAT.is_empty());")]
            /// ```
            pub const WHAT: &'static str = $what;

            /// The machine key (snake_case), as serde writes it.
            ///
            /// # Example
            ///
            /// ```
            /// use carematch::{*, assign::{HoldKind, ReferralStatus}, level::*, matching::*, vocabulary::*, import::*, screening::{CssrsItem, Instrument, Sex}};
            #[doc = concat!("let v = ", stringify!($name), "::ALL[0];")]
            #[doc = concat!("assert_eq!(v.key().parse::<", stringify!($name), ">().unwrap(), v);")]
            /// ```
            pub const fn key(self) -> &'static str {
                match self { $( $name::$variant => $key, )+ }
            }

            /// The plain-English name, as `Display` prints it.
            ///
            /// # Example
            ///
            /// ```
            /// use carematch::{*, assign::{HoldKind, ReferralStatus}, level::*, matching::*, vocabulary::*, import::*, screening::{CssrsItem, Instrument, Sex}};
            #[doc = concat!("let v = ", stringify!($name), "::ALL[0];")]
            /// assert_eq!(v.to_string(), v.label());
            /// ```
            pub const fn label(self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// The value whose machine key is exactly `key` (no case folding,
            /// no trimming: what serde reads). One `match`, which compiles to
            /// a comparison by length and then bytes, not a scan of `ALL`.
            #[allow(dead_code)]
            pub(crate) fn from_key(key: &str) -> Option<$name> {
                match key {
                    $( $key => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// A dense position (0, 1, 2 ...) for bitmasks: the index in `ALL`.
            #[allow(dead_code)]
            pub(crate) const fn index(self) -> usize {
                self as usize
            }

            /// This value's bit in a `u64` set (bit `index`).
            #[allow(dead_code)]
            pub(crate) const fn bit(self) -> u64 {
                1u64 << (self as u32)
            }

            /// The bits of every value in `values`, as one `u64` set.
            #[allow(dead_code)]
            pub(crate) fn mask_of<'a>(values: impl IntoIterator<Item = &'a $name>) -> u64 {
                values.into_iter().fold(0, |m, v| m | v.bit())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.label())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.key().eq_ignore_ascii_case(t) || v.label().eq_ignore_ascii_case(t))
                    .ok_or_else(|| $crate::terms::unknown_term($what, s, $name::ALL.iter().map(|v| v.key())))
            }
        }

        #[cfg(feature = "serde")]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl ::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "a {} key", $what)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::from_key(v)
                            .ok_or_else(|| E::custom($crate::terms::unknown_term($what, v, $name::ALL.iter().map(|t| t.key())).reason()))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

pub(crate) use terms;

/// The error for a term outside a closed vocabulary, listing what is accepted.
#[cold]
pub(crate) fn unknown_term<'a>(
    what: &'static str,
    input: &str,
    keys: impl Iterator<Item = &'a str>,
) -> crate::error::Error {
    let keys: Vec<&str> = keys.collect();
    crate::error::Error::parse(
        what,
        input,
        format!("unknown {what}; expected one of: {}", keys.join(", ")),
    )
}

impl crate::error::Error {
    /// The reason of a parse error, after the refused text (cut after
    /// [`SHOWN_CHARS`](crate::error::SHOWN_CHARS) characters), or the
    /// whole message otherwise.
    #[cfg(feature = "serde")]
    pub(crate) fn reason(&self) -> String {
        match self.repr() {
            crate::error::Repr::Parse { input, reason, .. } => {
                format!("`{}`: {reason}", crate::error::shown(input))
            }
            _ => self.to_string(),
        }
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use crate::credential::{Certification, License};
    use crate::therapy::{Approach, Modality};

    /// `from_key` (what serde reads) finds exactly the value whose key is
    /// the text, as the scan of `ALL` it replaced did; anything else is
    /// unknown, and serde's error names it with every key.
    macro_rules! check_from_key {
        ($($t:ty),+) => {$(
            for v in <$t>::ALL {
                let key = v.key();
                assert_eq!(<$t>::from_key(key), Some(*v));
                let json = format!("\"{key}\"");
                assert_eq!(serde_json::from_str::<$t>(&json).ok(), Some(*v));
                for other in [key.to_uppercase(), format!(" {key}"), v.label().to_owned()] {
                    let scan = <$t>::ALL.iter().copied().find(|t| t.key() == other);
                    assert_eq!(<$t>::from_key(&other), scan, "{other}");
                }
            }
            let err = serde_json::from_str::<$t>("\"no such term\"").unwrap_err().to_string();
            assert!(err.starts_with("`no such term`: unknown "), "{err}");
            assert!(err.contains(<$t>::ALL[<$t>::ALL.len() - 1].key()), "{err}");
        )+};
    }

    #[test]
    fn from_key_finds_exactly_the_keys() {
        check_from_key!(Approach, Modality, License, Certification);
    }
}
