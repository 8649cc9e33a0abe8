//! The tables of a fictional HSDS CSV data package under `tests/data/`,
//! read as the importer takes them (file name to text), for the import
//! tests that share it.

use std::collections::BTreeMap;

/// Every file of the package folder `tests/data/{dir}`, by name.
pub fn package(dir: &str) -> BTreeMap<String, String> {
    let dir = format!("{}/tests/data/{dir}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}
