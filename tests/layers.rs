//! The layers of `src/matching/`, as ARCHITECTURE.md lists them: no file
//! imports a file of its own or a higher layer, so the `use` lines form no
//! circle. Read from the source text: every `crate::matching::<module>` and
//! `super::<module>` path outside comments (the re-exports at
//! `crate::matching::<Type>` are the module's face and are not followed).
//!
//! A folder (`criteria/`, `index/`) is one unit among the top-level files,
//! and has layers of its own inside: its files import only lower files of
//! the folder (`super::<file>`), and its `mod.rs`, the folder's face, sits
//! above them all (a file importing `super::<Item>` goes up to it).
//!
//! A failure names the import that goes up or sideways: move the item it
//! needs down a layer (or the importing code up), and keep ARCHITECTURE.md's
//! list true.

use std::path::Path;

/// Bottom first. A file (or folder) may import only those of lower layers.
const LAYERS: &[&[&str]] = &[
    &["criterion", "evidence", "topk"],
    &["weights", "words"],
    &["alert"],
    &["output", "query"],
    &["facts"],
    &["plain", "index"],
    &["criteria", "explain"],
    &["rank"],
    &["directory"],
];

/// The layers inside each folder, bottom first; its `mod.rs` is above them.
const FOLDER_LAYERS: &[(&str, &[&[&str]])] = &[
    (
        "criteria",
        &[&[
            "therapy",
            "credentials",
            "schedule",
            "aftercare",
            "distance",
            "wait",
            "freshness",
        ]],
    ),
    (
        "index",
        &[
            &["screens"],
            &["store", "partition"],
            &["rows"],
            &["compiled", "snapshot"],
            &["source"],
        ],
    ),
];

fn layer_in(layers: &[&[&str]], name: &str) -> Option<usize> {
    layers.iter().position(|l| l.contains(&name))
}

/// The layers of `folder`, `mod` last.
fn folder_layers(folder: &str) -> Vec<Vec<&'static str>> {
    let (_, inner) = FOLDER_LAYERS
        .iter()
        .find(|(f, _)| *f == folder)
        .unwrap_or_else(|| panic!("src/matching/{folder}/ has no layers: add it to FOLDER_LAYERS"));
    let mut out: Vec<Vec<&str>> = inner.iter().map(|l| l.to_vec()).collect();
    out.push(vec!["mod"]);
    out
}

/// Every module path named in `text` after `marker`, outside comments, with
/// its line: `(line, module, followed_by_path)`.
fn named(text: &str, marker: &str) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices(marker) {
            let rest = &code[at + marker.len()..];
            let target: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_uppercase())
                .collect();
            if !target.is_empty() {
                let path = rest[target.len()..].starts_with("::");
                out.push((n + 1, target, path));
            }
        }
    }
    out
}

struct Check {
    files: usize,
    imports: usize,
    wrong: Vec<String>,
}

impl Check {
    /// A top-level file or a file of a folder, named `unit` among the
    /// top-level units; `inner`: its name and the folder's layers.
    fn file(&mut self, path: &Path, unit: &str, inner: Option<(&str, &[Vec<&str>])>) {
        self.files += 1;
        let own = layer_in(LAYERS, unit).unwrap_or_else(|| {
            panic!(
                "{} is in no layer: add it to LAYERS and to ARCHITECTURE.md",
                path.display()
            )
        });
        let text = std::fs::read_to_string(path).expect("a source file");
        // Paths into the other top-level units.
        for (line, target, is_path) in named(&text, "crate::matching::") {
            if !is_path || target == unit {
                continue;
            }
            if let Some(to) = layer_in(LAYERS, &target) {
                self.imports += 1;
                if to >= own {
                    self.wrong.push(format!(
                        "{}:{line} imports {target} (layer {to}), from layer {own}",
                        path.display()
                    ));
                }
            }
        }
        for (line, target, is_path) in named(&text, "super::") {
            match inner {
                // A top-level file: `super::` is `crate::matching::`.
                None => {
                    if let (true, Some(to)) = (is_path, layer_in(LAYERS, &target)) {
                        self.imports += 1;
                        if to >= own {
                            self.wrong.push(format!(
                                "{}:{line} imports {target} (layer {to}), from layer {own}",
                                path.display()
                            ));
                        }
                    }
                }
                // A file of a folder: `super::<file>::` is a sibling,
                // `super::<Item>` the folder's face.
                Some((name, layers)) => {
                    let layers: Vec<&[&str]> = layers.iter().map(|l| l.as_slice()).collect();
                    let mine = layer_in(&layers, name).unwrap_or_else(|| {
                        panic!("{} is in no layer of its folder", path.display())
                    });
                    let to = if is_path {
                        layer_in(&layers, &target)
                    } else {
                        Some(layers.len() - 1)
                    };
                    if let Some(to) = to {
                        self.imports += 1;
                        if to >= mine && name != "mod" {
                            self.wrong.push(format!(
                                "{}:{line} imports {target} (layer {to} of its folder), from layer {mine}",
                                path.display()
                            ));
                        }
                    }
                }
            }
        }
        // A folder's file naming a sibling by its full path.
        if let Some((name, layers)) = inner {
            let layers: Vec<&[&str]> = layers.iter().map(|l| l.as_slice()).collect();
            let mine = layer_in(&layers, name).expect("checked above");
            for (line, target, is_path) in named(&text, &format!("crate::matching::{unit}::")) {
                if let (true, Some(to)) = (is_path, layer_in(&layers, &target)) {
                    self.imports += 1;
                    if to >= mine && name != "mod" {
                        self.wrong.push(format!(
                            "{}:{line} imports {target} (layer {to} of its folder), from layer {mine}",
                            path.display()
                        ));
                    }
                }
            }
        }
    }
}

#[test]
fn no_file_in_matching_imports_its_own_or_a_higher_layer() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/matching"));
    let mut check = Check {
        files: 0,
        imports: 0,
        wrong: Vec::new(),
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/matching")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a file name")
            .to_owned();
        if path.is_dir() {
            let layers = folder_layers(&name);
            let mut files: Vec<_> = std::fs::read_dir(&path)
                .expect("a folder")
                .map(|e| e.expect("an entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .collect();
            files.sort();
            for file in files {
                let stem = file.file_stem().and_then(|s| s.to_str()).expect("a name");
                if stem == "tests" {
                    continue;
                }
                check.file(&file, &name, Some((stem, &layers)));
            }
        } else if path.extension().is_some_and(|e| e == "rs") && name != "mod" && name != "tests" {
            check.file(&path, &name, None);
        }
    }
    assert!(
        check.files >= 27,
        "only {} files read in {}",
        check.files,
        dir.display()
    );
    // The check reads something: the files import the layers below them.
    assert!(check.imports > 70, "only {} imports read", check.imports);
    assert!(
        check.wrong.is_empty(),
        "imports upward or sideways:\n{}",
        check.wrong.join("\n")
    );
}
