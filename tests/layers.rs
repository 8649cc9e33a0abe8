//! The layers of `src/matching/`, as ARCHITECTURE.md lists them: no file
//! imports a file of its own or a higher layer, so the `use` lines form no
//! circle. Read from the source text: every `crate::matching::<file>` and
//! `super::<file>` path outside comments (the re-exports at
//! `crate::matching::<Type>` are the module's face and are not followed).
//!
//! A failure names the import that goes up or sideways: move the item it
//! needs down a layer (or the importing code up), and keep ARCHITECTURE.md's
//! list true.

use std::collections::BTreeMap;

/// Bottom first. A file may import only files of lower layers.
const LAYERS: &[&[&str]] = &[
    &["evidence", "weights", "topk", "store", "partition"],
    &["words"],
    &["alert"],
    &["output", "query"],
    &["facts"],
    &["criteria"],
    &["plain", "explain"],
    &["rank"],
    &["directory"],
];

fn layer_of(file: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&file))
}

#[test]
fn no_file_in_matching_imports_its_own_or_a_higher_layer() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/matching");
    let mut imports: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    let mut files = 0;
    for entry in std::fs::read_dir(dir).expect("src/matching") {
        let path = entry.expect("an entry").path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_none_or(|e| e != "rs") || name == "mod" || name == "tests" {
            continue;
        }
        files += 1;
        assert!(
            layer_of(name).is_some(),
            "src/matching/{name}.rs is in no layer: add it to LAYERS and to ARCHITECTURE.md"
        );
        let text = std::fs::read_to_string(&path).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for marker in ["crate::matching::", "super::"] {
                for (at, _) in code.match_indices(marker) {
                    let rest = &code[at + marker.len()..];
                    let target: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    // A module path is followed by `::`; a re-exported type is not.
                    if !target.is_empty()
                        && rest[target.len()..].starts_with("::")
                        && layer_of(&target).is_some()
                    {
                        imports
                            .entry(name.to_owned())
                            .or_default()
                            .push((n + 1, target));
                    }
                }
            }
        }
    }
    assert!(files >= 15, "only {files} files read in {dir}");
    let mut wrong = Vec::new();
    for (file, targets) in &imports {
        let own = layer_of(file).expect("checked above");
        for (line, target) in targets {
            let to = layer_of(target).expect("filtered above");
            if to >= own {
                wrong.push(format!(
                    "src/matching/{file}.rs:{line} imports {target} (layer {to}), from layer {own}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports upward or sideways:\n{}",
        wrong.join("\n")
    );
    // The check reads something: the face imports the layers below it.
    assert!(imports.get("directory").is_some_and(|t| t.len() > 5));
}
