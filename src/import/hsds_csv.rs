//! Open Referral HSDS 3.0 in its tabular form: a Frictionless data package of
//! CSV files (`services.csv`, `service_at_location.csv`, `locations.csv` ...).
//!
//! The tables are joined by their `id` and `*_id` columns into the nested
//! shapes of the JSON form (a service with its `organization`, `program`,
//! `languages`, `cost_options`, `attributes` with their `taxonomy_term`,
//! `schedules`, and `service_at_locations`, each with its `location` with
//! `addresses` and `languages`, and its own `schedules`), which the JSON
//! importer then reads, so both forms share every mapping and the report.
//!
//! | table | joined as |
//! | --- | --- |
//! | `services.csv` | a service (every column; the JSON importer reports its fields) |
//! | `organizations.csv`, `programs.csv` | the service's `organization`, `program` (by `organization_id`, `program_id`) |
//! | `languages.csv` | the service's `languages` (by `service_id`), a location's own (by `location_id`) |
//! | `cost_options.csv` | the service's `cost_options` |
//! | `attributes.csv`, `taxonomy_terms.csv` | the service's `attributes` (by `link_id`) with their `taxonomy_term` |
//! | `schedules.csv` | the service's `schedules`, or a service at location's (by `service_at_location_id`) |
//! | `service_at_location.csv` | the service's `service_at_locations` |
//! | `locations.csv`, `addresses.csv` | each one's `location` with its `addresses` |
//! | other tables (`phones.csv`, `service_areas.csv` ...), other columns, `datapackage.json` | ignored, each row with its reason |
//!
//! CSV is read per RFC 4180: fields separated by commas, records by CRLF or
//! LF; a quoted field may hold commas, line breaks and doubled quotes. An
//! empty cell is absent. Rows are numbered as a spreadsheet shows them: the
//! header is row 1.
//!
//! Every id that no table holds, every table and every column carematch does
//! not read, gets a line in the report.

use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::import::{Format, Import, ImportOptions, ImportReport, Method, Recorder, Rewrite, hsds};
use crate::program::Program;

/// Where a CSV text is malformed: the record (1 = the header), the field
/// (0-based) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvError {
    pub(crate) row: usize,
    pub(crate) column: usize,
    pub(crate) message: &'static str,
}

/// Splits `text` into records of fields per RFC 4180. A byte-order mark at the
/// start is skipped; an empty line is no record; a last line break is optional.
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let mut record = Vec::new();
        let (next, any) = record_at(text, pos, records.len() + 1, &mut |f| {
            record.push(f.into_owned());
        })?;
        if any {
            records.push(record);
        }
        pos = next;
    }
    Ok(records)
}

/// The error for a CSV record.
fn csv_error(row: usize, column: usize, message: &'static str) -> CsvError {
    CsvError {
        row,
        column,
        message,
    }
}

/// Reads the record of `text` starting at byte `pos` (record `row`, the
/// header being 1), giving `field` each field's text (quotes removed,
/// doubled quotes made single; borrowed unless it held a doubled quote).
/// Returns where the next record starts, and whether this one is a record
/// (`false`: an empty line).
fn record_at<'a>(
    text: &'a str,
    mut pos: usize,
    row: usize,
    field: &mut dyn FnMut(Cow<'a, str>),
) -> Result<(usize, bool), CsvError> {
    let b = text.as_bytes();
    let line_end = |pos: usize| {
        if b.get(pos) == Some(&b'\r') && b.get(pos + 1) == Some(&b'\n') {
            pos + 2
        } else {
            pos + 1
        }
    };
    if matches!(b.get(pos), Some(b'\r' | b'\n')) {
        return Ok((line_end(pos), false));
    }
    let mut column = 0;
    loop {
        if b.get(pos) == Some(&b'"') {
            // A quoted field: up to the quote not doubled.
            pos += 1;
            let start = pos;
            let mut owned: Option<String> = None;
            let mut piece = pos;
            let content = loop {
                let Some(q) = b[pos..].iter().position(|&c| c == b'"').map(|q| pos + q) else {
                    return Err(csv_error(
                        row,
                        column,
                        "a quoted field is not closed before the end of the file",
                    ));
                };
                if b.get(q + 1) == Some(&b'"') {
                    owned
                        .get_or_insert_with(String::new)
                        .push_str(&text[piece..=q]);
                    pos = q + 2;
                    piece = pos;
                } else {
                    pos = q + 1;
                    break match owned {
                        Some(mut o) => {
                            o.push_str(&text[piece..q]);
                            Cow::Owned(o)
                        }
                        None => Cow::Borrowed(&text[start..q]),
                    };
                };
            };
            match b.get(pos) {
                Some(b',') => {
                    field(content);
                    column += 1;
                    pos += 1;
                }
                None | Some(b'\r' | b'\n') => {
                    field(content);
                    return Ok((if pos < b.len() { line_end(pos) } else { pos }, true));
                }
                Some(b'"') => {
                    return Err(csv_error(
                        row,
                        column,
                        "a quote inside an unquoted field (quote the field and double the quote)",
                    ));
                }
                Some(_) => {
                    return Err(csv_error(
                        row,
                        column,
                        "text after a closing quote (a field must be quoted whole)",
                    ));
                }
            }
        } else {
            let start = pos;
            let end = b[pos..]
                .iter()
                .position(|&c| matches!(c, b',' | b'\r' | b'\n' | b'"'))
                .map_or(b.len(), |e| pos + e);
            pos = end;
            match b.get(end) {
                Some(b'"') => {
                    return Err(csv_error(
                        row,
                        column,
                        "a quote inside an unquoted field (quote the field and double the quote)",
                    ));
                }
                Some(b',') => {
                    field(Cow::Borrowed(&text[start..end]));
                    column += 1;
                    pos += 1;
                }
                _ => {
                    field(Cow::Borrowed(&text[start..end]));
                    return Ok((if end < b.len() { line_end(end) } else { end }, true));
                }
            }
        }
    }
}

/// A cell's text trimmed, `None` when empty (an empty cell is absent).
fn trimmed(c: Cow<'_, str>) -> Option<Cow<'_, str>> {
    match c {
        Cow::Borrowed(s) => Some(Cow::Borrowed(s.trim())).filter(|s| !s.is_empty()),
        Cow::Owned(s) => {
            let t = s.trim();
            if t.is_empty() {
                None
            } else if t.len() == s.len() {
                Some(Cow::Owned(s))
            } else {
                Some(Cow::Owned(t.to_owned()))
            }
        }
    }
}

/// Where a column's cells come from in one part of a table.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// The record's field at this position.
    Field(usize),
    /// The same text in every row (a column the version's renames add).
    Const(&'static str),
    /// The RRULE day code of the weekday in this field (HSDS 1.x `weekday`).
    Byday(usize),
    /// No cell (a column another part has).
    Absent,
}

/// The rows of one CSV file in a table: the text, where each record starts
/// and where each of the table's columns comes from. Cells are read from
/// the text when asked for, so a table holds 4 bytes a row, not its cells.
#[derive(Debug)]
struct Part<'a> {
    text: &'a str,
    starts: Vec<u32>,
    columns: Vec<Source>,
}

impl<'a> Part<'a> {
    /// The cells of local row `i` (trimmed; empty ones absent), by the table's columns.
    fn cells(&self, i: usize) -> Vec<Option<Cow<'a, str>>> {
        let mut fields: Vec<Cow<'a, str>> = Vec::with_capacity(self.columns.len());
        // The text was read whole when the table was made: it is well formed.
        let _ = record_at(self.text, self.starts[i] as usize, 0, &mut |f| {
            fields.push(f)
        });
        self.columns
            .iter()
            .map(|s| match *s {
                Source::Field(k) => fields.get(k).cloned().and_then(trimmed),
                Source::Const(t) => Some(Cow::Borrowed(t)),
                Source::Byday(k) => fields
                    .get(k)
                    .and_then(|w| weekday_code(w.trim()))
                    .map(Cow::Borrowed),
                Source::Absent => None,
            })
            .collect()
    }

    /// The cell of local row `i` in column `c` (only that field is kept).
    fn cell(&self, i: usize, c: usize) -> Option<Cow<'a, str>> {
        let k = match self.columns[c] {
            Source::Field(k) | Source::Byday(k) => k,
            Source::Const(t) => return Some(Cow::Borrowed(t)),
            Source::Absent => return None,
        };
        let mut n = 0;
        let mut out = None;
        let _ = record_at(self.text, self.starts[i] as usize, 0, &mut |f| {
            if n == k {
                out = Some(f);
            }
            n += 1;
        });
        match self.columns[c] {
            Source::Byday(_) => out.and_then(|w| weekday_code(w.trim())).map(Cow::Borrowed),
            _ => out.and_then(trimmed),
        }
    }
}

/// One CSV table: its header and its rows (cells trimmed; empty ones
/// absent), read from its text as they are asked for.
#[derive(Debug)]
struct Table<'a> {
    file: &'a str,
    header: Vec<String>,
    /// The rows of the file, then those of any file appended.
    parts: Vec<Part<'a>>,
    /// For the `id` column and the link columns a service is joined by,
    /// each row's (hash of the cell, row), sorted: the rows holding a value
    /// are found by its hash and checked against the text.
    index: Vec<(usize, Vec<(u32, u32)>)>,
}

/// The columns indexed: `id` (each table's rows by id) and the links a
/// service's parts are found by.
const INDEXED: &[&str] = &[
    "id",
    "service_id",
    "location_id",
    "link_id",
    "service_at_location_id",
];

/// A hash of a cell (FNV-1a, 32 bits): equal cells have equal hashes.
fn hash(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

impl<'a> Table<'a> {
    /// A table with no rows (for a table the package lacks).
    fn empty() -> Table<'a> {
        Table {
            file: "",
            header: Vec::new(),
            parts: Vec::new(),
            index: Vec::new(),
        }
    }

    fn read(file: &'a str, text: &'a str) -> Result<Table<'a>, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let too_large = || {
            Error::json(
                file.to_owned(),
                format!("{} bytes: a CSV table is read up to 4 GiB", text.len()),
            )
        };
        if u32::try_from(text.len()).is_err() {
            return Err(too_large());
        }
        // Every record is read (and checked) first: where it starts and how
        // many fields it has.
        let mut header: Vec<String> = Vec::new();
        let mut have_header = false;
        let mut records: Vec<(u32, u32)> = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let start = pos;
            let row = records.len() + 2;
            let mut n = 0u32;
            let in_header = !have_header;
            let (next, any) = if in_header {
                record_at(text, pos, 1, &mut |f| header.push(f.trim().to_owned()))
            } else {
                record_at(text, pos, row, &mut |_| n += 1)
            }
            .map_err(|e| {
                // The header's first line names the column when it reads.
                let first = text.split(['\n', '\r']).next().unwrap_or("");
                let mut names = Vec::new();
                let name = (!first.is_empty())
                    .then(|| record_at(first, 0, 1, &mut |f| names.push(f)).ok())
                    .flatten()
                    .and_then(|_| names.get(e.column))
                    .map(|n| n.trim())
                    .filter(|_| e.row > 1);
                let at = match name {
                    None => format!("{file}: row {}: field {}", e.row, e.column + 1),
                    Some(n) => format!("{file}: row {}: column `{n}`", e.row),
                };
                Error::json(at, e.message.to_owned())
            })?;
            if any && in_header {
                have_header = true;
            } else if any {
                records.push((start as u32, n));
            }
            pos = next;
        }
        for (i, h) in header.iter().enumerate() {
            if h.is_empty() {
                return Err(Error::json(
                    format!("{file}: row 1: field {}", i + 1),
                    "a column without a name".to_owned(),
                ));
            }
            if header[..i].contains(h) {
                return Err(Error::json(
                    format!("{file}: row 1: column `{h}`"),
                    "the column is named twice".to_owned(),
                ));
            }
        }
        for (i, &(_, n)) in records.iter().enumerate() {
            if n as usize != header.len() {
                return Err(Error::json(
                    format!("{file}: row {}", i + 2),
                    format!("{n} fields where the header has {}", header.len()),
                ));
            }
        }
        let columns = (0..header.len()).map(Source::Field).collect();
        Ok(Table {
            file,
            header,
            parts: vec![Part {
                text,
                starts: records.iter().map(|&(s, _)| s).collect(),
                columns,
            }],
            index: Vec::new(),
        })
    }

    /// How many rows.
    fn len(&self) -> usize {
        self.parts.iter().map(|p| p.starts.len()).sum()
    }

    /// Row `r`'s part and its place in it.
    fn part(&self, mut r: usize) -> (&Part<'a>, usize) {
        for p in &self.parts {
            if r < p.starts.len() {
                return (p, r);
            }
            r -= p.starts.len();
        }
        unreachable!("row {r} is past the table's rows")
    }

    /// Row `r`'s number in its file (the header is row 1).
    fn number(&self, r: usize) -> usize {
        self.part(r).1 + 2
    }

    /// The cells of row `r` by column (trimmed; empty ones absent).
    fn cells(&self, r: usize) -> Vec<Option<Cow<'a, str>>> {
        let (p, i) = self.part(r);
        p.cells(i)
    }

    /// Renames column `from` to `to` (when there is one).
    fn rename(&mut self, from: &str, to: &str) {
        if let Some(c) = self.col(from)
            && self.col(to).is_none()
        {
            self.header[c] = to.to_owned();
        }
    }

    /// Adds column `name` with `text` in every row (unless there is one).
    fn add_const(&mut self, name: &str, text: &'static str) {
        if self.col(name).is_some() {
            return;
        }
        self.header.push(name.to_owned());
        for p in &mut self.parts {
            p.columns.push(Source::Const(text));
        }
    }

    /// Adds column `name` with the RRULE day code of each row's `weekday`
    /// (HSDS 1.x), unless there is one.
    fn add_byday(&mut self, name: &str, weekday: &str) {
        if self.col(name).is_some() {
            return;
        }
        let from = self.col(weekday);
        self.header.push(name.to_owned());
        for p in &mut self.parts {
            let s = match from.map(|c| p.columns[c]) {
                Some(Source::Field(k)) => Source::Byday(k),
                _ => Source::Absent,
            };
            p.columns.push(s);
        }
    }

    /// Appends the rows of `other` (columns matched by name; missing ones absent).
    fn append(&mut self, other: Table<'a>) {
        for h in &other.header {
            if self.col(h).is_none() {
                self.header.push(h.clone());
                for p in &mut self.parts {
                    p.columns.push(Source::Absent);
                }
            }
        }
        for mut p in other.parts {
            p.columns = self
                .header
                .iter()
                .map(|h| {
                    other
                        .header
                        .iter()
                        .position(|x| x == h)
                        .map_or(Source::Absent, |c| p.columns[c])
                })
                .collect();
            self.parts.push(p);
        }
    }

    /// Rebuilds the index of the `id` and link columns (after renames).
    fn reindex(&mut self) {
        let cols: Vec<usize> = INDEXED.iter().filter_map(|k| self.col(k)).collect();
        let mut index: Vec<(usize, Vec<(u32, u32)>)> =
            cols.iter().map(|&c| (c, Vec::new())).collect();
        for r in 0..self.len() {
            let (p, i) = self.part(r);
            let cells = p.cells(i);
            for (c, entries) in &mut index {
                if let Some(v) = &cells[*c] {
                    entries.push((hash(v), r as u32));
                }
            }
        }
        for (_, entries) in &mut index {
            entries.sort_unstable();
            entries.shrink_to_fit();
        }
        self.index = index;
    }

    /// Drops the index of every column but `keep` (a lookup by a column
    /// not indexed reads every row).
    fn keep_index(&mut self, keep: &[&str]) {
        let header = &self.header;
        self.index
            .retain(|(c, _)| keep.contains(&header[*c].as_str()));
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The cell of `row` in column `name`.
    fn cell(&self, row: usize, name: &str) -> Option<Cow<'a, str>> {
        let c = self.col(name)?;
        let (p, i) = self.part(row);
        p.cell(i, c)
    }

    /// The first row whose `id` is `id`.
    fn by_id(&self, id: &str) -> Option<usize> {
        self.with("id", id).first().copied()
    }

    /// The rows whose column `key` is `id`, in order.
    fn with(&self, key: &str, id: &str) -> Vec<usize> {
        let Some(c) = self.col(key) else {
            return Vec::new();
        };
        let is = |r: usize| {
            let (p, i) = self.part(r);
            p.cell(i, c).as_deref() == Some(id)
        };
        match self.index.iter().find(|(x, _)| *x == c) {
            Some((_, entries)) => {
                let h = hash(id);
                let from = entries.partition_point(|e| e.0 < h);
                entries[from..]
                    .iter()
                    .take_while(|e| e.0 == h)
                    .map(|e| e.1 as usize)
                    .filter(|&r| is(r))
                    .collect()
            }
            None => (0..self.len()).filter(|&r| is(r)).collect(),
        }
    }

    /// A row as a JSON object of its non-empty cells, without `skip`.
    fn object(&self, row: usize, skip: &[&str]) -> Map<String, Value> {
        self.header
            .iter()
            .zip(self.cells(row))
            .filter(|(h, _)| !skip.contains(&h.as_str()))
            .filter_map(|(h, c)| Some((h.clone(), Value::String(c?.into_owned()))))
            .collect()
    }

    fn at(&self, row: usize, column: &str) -> String {
        format!("{}: row {}: column `{column}`", self.file, self.number(row))
    }
}

/// A table's file, the columns read (`None`: all) and its links (column, file).
type TableSpec = (
    &'static str,
    Option<&'static [&'static str]>,
    &'static [(&'static str, &'static str)],
);

/// The tables carematch reads: the file, the columns the joined JSON shape
/// reads (`None`: every column, as the JSON importer reports its fields
/// itself), and the links to other tables (column, file).
const TABLES: &[TableSpec] = &[
    (
        "services.csv",
        None,
        &[
            ("organization_id", "organizations.csv"),
            ("program_id", "programs.csv"),
        ],
    ),
    (
        "service_at_location.csv",
        Some(&["id"]),
        &[
            ("service_id", "services.csv"),
            ("location_id", "locations.csv"),
        ],
    ),
    (
        "locations.csv",
        Some(&["id", "latitude", "longitude"]),
        &[("organization_id", "organizations.csv")],
    ),
    (
        "addresses.csv",
        Some(&[
            "id",
            "address_1",
            "address_2",
            "city",
            "state_province",
            "postal_code",
            "address_type",
        ]),
        &[("location_id", "locations.csv")],
    ),
    (
        "languages.csv",
        Some(&["id", "name", "code"]),
        &[
            ("service_id", "services.csv"),
            ("location_id", "locations.csv"),
            ("phone_id", "phones.csv"),
        ],
    ),
    (
        "organizations.csv",
        Some(&["id", "name"]),
        &[("parent_organization_id", "organizations.csv")],
    ),
    (
        "programs.csv",
        Some(&["id", "name"]),
        &[("organization_id", "organizations.csv")],
    ),
    (
        "cost_options.csv",
        Some(&["id", "option"]),
        &[("service_id", "services.csv")],
    ),
    (
        "attributes.csv",
        Some(&["id", "link_id", "value"]),
        &[("taxonomy_term_id", "taxonomy_terms.csv")],
    ),
    (
        "taxonomy_terms.csv",
        Some(&["id", "name", "code"]),
        &[
            ("taxonomy_id", "taxonomies.csv"),
            ("parent_id", "taxonomy_terms.csv"),
        ],
    ),
    (
        "eligibility.csv",
        Some(&["id", "eligibility"]),
        &[("service_id", "services.csv")],
    ),
    (
        "schedules.csv",
        None,
        &[
            ("service_id", "services.csv"),
            ("location_id", "locations.csv"),
            ("service_at_location_id", "service_at_location.csv"),
        ],
    ),
];

/// Why a table carematch does not read is left.
fn unread_table(file: &str) -> &'static str {
    match file {
        "phones.csv" | "contacts.csv" => "contact details: carematch keeps no contact fields",
        "taxonomies.csv" => "taxonomy descriptions: terms are read by their name and code",
        "service_areas.csv" => "service areas: not matched on (distance is from the location)",
        "required_documents.csv" => "required documents: not matched on",
        "funding.csv" => "funding sources, not a patient's payer",
        "metadata.csv" | "meta_table_descriptions.csv" => "change history",
        _ => "a table carematch does not read",
    }
}

/// Imports an Open Referral HSDS 3.0 data package in its tabular form: `files`
/// maps each file's name (`services.csv`, `locations.csv`, ...,
/// `datapackage.json`) to its text. The library reads no files: the caller
/// does (the command line reads a directory's `*.csv` files).
///
/// The tables are joined by their ids into HSDS's JSON shapes and imported as
/// [`Format::Hsds`](crate::import::Format::Hsds) is, so the mappings and the
/// report are the same; report paths name the CSV file and row (the header
/// is row 1). An id that no table holds, a table or a column carematch does
/// not read, each has a line in the report.
///
/// # Errors
///
/// An error of kind [`ErrorKind::Json`](crate::ErrorKind::Json) whose path
/// names the file, row and column, when a CSV text is malformed (a quote not
/// closed, text after a closing quote, a row with more or fewer fields than
/// the header, a column named twice or not at all) or when `services.csv` is
/// missing or has no `id` column.
///
/// # Example
///
/// ```
/// use std::collections::BTreeMap;
/// use carematch::import::{ImportOptions, import_hsds_csv};
/// let mut files = BTreeMap::new();
/// files.insert("services.csv".to_owned(),
///     "id,name\r\ns1,\"Adult IOP, evenings\"\r\n".to_owned());
/// files.insert("locations.csv".to_owned(), "id,latitude,longitude\nl1,42.36,-71.06\n".to_owned());
/// files.insert("service_at_location.csv".to_owned(), "id,service_id,location_id\na1,s1,l1\n".to_owned());
/// files.insert("addresses.csv".to_owned(),
///     "id,location_id,address_1,city,state_province,postal_code\nd1,l1,1 Example Way,Boston,MA,02110\n".to_owned());
/// let out = import_hsds_csv(&files, &ImportOptions::new(carematch::sample::AS_OF))?;
/// assert_eq!(out.programs.len(), 1, "{}", out.report);
/// assert_eq!(out.programs[0].name, "Adult IOP, evenings");
///
/// files.insert("services.csv".to_owned(), "id,name\ns1,\"Adult \"IOP\"\n".to_owned());
/// let err = import_hsds_csv(&files, &ImportOptions::new(carematch::sample::AS_OF)).unwrap_err();
/// assert!(err.to_string().starts_with("services.csv: row 2: column `name`"));
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn import_hsds_csv(
    files: &BTreeMap<String, String>,
    options: &ImportOptions,
) -> Result<Import, Error> {
    let mut programs = Vec::new();
    let report = import_hsds_csv_each(files, options, |p| programs.push(p))?;
    Ok(Import { programs, report })
}

/// Imports an HSDS data package in its tabular form as [`import_hsds_csv`]
/// does, giving `sink` each program as it is made instead of collecting
/// them, and returns the report once the last program is given: the
/// programs, their order and the report are those of [`import_hsds_csv`].
///
/// Memory follows the package's text and the report, not the programs:
/// the tables are held as the place of each row in `files` (4 bytes a row)
/// and an index of the columns rows are looked up by (8 bytes a row each),
/// each service is joined when it is imported, and each program goes to
/// `sink` as soon as it is made. `files` is taken by reference or by value:
/// given by value, the texts are dropped before the report is made whole,
/// so the two are never held at once.
///
/// The tables are read and checked whole before the first program is
/// given: an error comes before any program, never after some.
///
/// # Errors
///
/// As [`import_hsds_csv`].
///
/// # Example
///
/// ```
/// use std::collections::BTreeMap;
/// use carematch::import::{ImportOptions, import_hsds_csv, import_hsds_csv_each};
/// let mut files = BTreeMap::new();
/// files.insert("services.csv".to_owned(), "id,name\ns1,\"Adult IOP, evenings\"\n".to_owned());
/// files.insert("locations.csv".to_owned(), "id,latitude,longitude\nl1,42.36,-71.06\n".to_owned());
/// files.insert("service_at_location.csv".to_owned(), "id,service_id,location_id\na1,s1,l1\n".to_owned());
/// files.insert("addresses.csv".to_owned(),
///     "id,location_id,address_1,city,state_province,postal_code\nd1,l1,1 Example Way,Boston,MA,02110\n".to_owned());
/// let options = ImportOptions::new(carematch::sample::AS_OF);
/// let mut ids = Vec::new();
/// let report = import_hsds_csv_each(&files, &options, |p| ids.push(p.id.to_string()))?;
/// assert_eq!(ids, ["hsds-s1-l1"]);
/// assert_eq!(report, import_hsds_csv(&files, &options)?.report);
/// // By value: the texts are freed before the report is made whole.
/// assert_eq!(import_hsds_csv_each(files, &options, drop)?, report);
/// # Ok::<(), carematch::Error>(())
/// ```
pub fn import_hsds_csv_each(
    files: impl Borrow<BTreeMap<String, String>>,
    options: &ImportOptions,
    mut sink: impl FnMut(Program),
) -> Result<ImportReport, Error> {
    let (rec, records, made) = join_each(files.borrow(), options, &mut sink)?;
    // The package's texts (when given by value) and its tables are gone
    // before the report is made whole.
    drop(files);
    Ok(rec.finish(Format::Hsds, records, made))
}

/// The package's services joined and imported one at a time: the report's
/// recorder, the records read and the programs made.
fn join_each(
    files: &BTreeMap<String, String>,
    options: &ImportOptions,
    sink: &mut dyn FnMut(Program),
) -> Result<(Recorder, usize, usize), Error> {
    let size: usize = files.values().map(String::len).sum();
    if size > options.max_bytes() {
        return Err(Error::json(
            String::new(),
            format!(
                "{size} bytes: over the import's input size limit of {} bytes (raise it with --max-bytes)",
                options.max_bytes()
            ),
        ));
    }
    let mut rec = Recorder::default();
    let mut tables = read_tables(files, &mut rec)?;
    report_tables(&tables, &mut rec);
    // Only the indexes the join looks rows up by are kept.
    for (file, t) in &mut tables {
        let keep = JOINED_BY
            .iter()
            .find(|(f, _)| f == file)
            .map_or(&[][..], |(_, k)| *k);
        t.keep_index(keep);
    }
    let empty = Table::empty();
    let join = Join::new(&tables, &empty);
    let n = join.services.len();
    if n > options.max_rows() {
        return Err(Error::json(
            "services.csv".to_owned(),
            format!(
                "{n} services: over the import's row limit of {} (raise it with --max-rows)",
                options.max_rows()
            ),
        ));
    }
    // Each service is joined as an HSDS JSON document `[r]`; the paths
    // recorded while it is read name its CSV rows instead:
    // `[3].service_at_locations[0].wait_time` becomes
    // `services.csv: row 5, service_at_location.csv: row 2: wait_time`.
    let docs = (0..n).map(|r| {
        let (service, at_rows) = join.service(r);
        let row = join.services.number(r);
        let rewrite = Rewrite(Box::new(move |p: &str| csv_path(p, r, row, &at_rows)));
        (format!("[{r}]"), service, Some(rewrite))
    });
    hsds::import_each(docs, options, rec, sink)
}

/// The columns each table's rows are looked up by when a service is joined.
const JOINED_BY: &[(&str, &[&str])] = &[
    ("organizations.csv", &["id"]),
    ("programs.csv", &["id"]),
    ("locations.csv", &["id"]),
    ("taxonomy_terms.csv", &["id"]),
    ("service_at_location.csv", &["service_id"]),
    ("languages.csv", &["service_id", "location_id"]),
    ("cost_options.csv", &["service_id"]),
    ("eligibility.csv", &["service_id"]),
    ("schedules.csv", &["service_id", "service_at_location_id"]),
    ("attributes.csv", &["link_id"]),
    ("addresses.csv", &["location_id"]),
];

/// The package's CSV tables by file name (a line for each other file); an
/// error when one is malformed or `services.csv` is missing or has no `id`.
fn read_tables<'a>(
    files: &'a BTreeMap<String, String>,
    rec: &mut Recorder,
) -> Result<BTreeMap<&'a str, Table<'a>>, Error> {
    let mut tables: BTreeMap<&str, Table<'_>> = BTreeMap::new();
    for (name, text) in files {
        if name.ends_with(".csv") {
            tables.insert(name.as_str(), Table::read(name, text)?);
        } else if name == "datapackage.json" {
            // Read for its version (see `Version::detect`).
        } else {
            rec.ignored(name, None, || name.clone(), "not a CSV table");
        }
    }
    let version = Version::detect(files, &tables);
    version.report(rec, files);
    translate(&mut tables, version, rec);
    for t in tables.values_mut() {
        t.reindex();
    }
    let Some(services) = tables.get("services.csv") else {
        let found: Vec<&str> = files.keys().map(String::as_str).collect();
        return Err(Error::json(
            "services.csv".to_owned(),
            format!(
                "the data package has no services table; it looks like {} (found: {}); every HSDS version has services.csv",
                version.label(),
                found.join(", ")
            ),
        ));
    };
    if services.col("id").is_none() {
        return Err(Error::json(
            "services.csv: row 1: column `id`".to_owned(),
            "missing: services are joined by their id".to_owned(),
        ));
    }
    Ok(tables)
}

/// The tables a service is joined from (an empty table for each one the
/// package lacks).
struct Join<'t, 'a> {
    services: &'t Table<'a>,
    orgs: &'t Table<'a>,
    progs: &'t Table<'a>,
    locs: &'t Table<'a>,
    addrs: &'t Table<'a>,
    langs: &'t Table<'a>,
    sals: &'t Table<'a>,
    scheds: &'t Table<'a>,
    costs: &'t Table<'a>,
    attrs: &'t Table<'a>,
    terms: &'t Table<'a>,
    elig: &'t Table<'a>,
}

/// The columns of `languages.csv` that are links, not a language.
const LANGUAGE_LINKS: &[&str] = &["service_id", "location_id", "phone_id"];

impl<'t, 'a> Join<'t, 'a> {
    fn new(tables: &'t BTreeMap<&str, Table<'a>>, empty: &'t Table<'a>) -> Join<'t, 'a> {
        let t = |f: &str| tables.get(f).unwrap_or(empty);
        Join {
            services: t("services.csv"),
            orgs: t("organizations.csv"),
            progs: t("programs.csv"),
            locs: t("locations.csv"),
            addrs: t("addresses.csv"),
            langs: t("languages.csv"),
            sals: t("service_at_location.csv"),
            scheds: t("schedules.csv"),
            costs: t("cost_options.csv"),
            attrs: t("attributes.csv"),
            terms: t("taxonomy_terms.csv"),
            elig: t("eligibility.csv"),
        }
    }

    /// The rows of `tab` as a JSON array of objects, without `skip`.
    fn rows_of(tab: &Table<'_>, rows: Vec<usize>, skip: &[&str]) -> Value {
        Value::Array(
            rows.into_iter()
                .map(|r| Value::Object(tab.object(r, skip)))
                .collect(),
        )
    }

    /// Service row `r` as HSDS JSON, with the row numbers of its services at locations.
    fn service(&self, r: usize) -> (Value, Vec<usize>) {
        let services = self.services;
        let mut s = services.object(r, &["organization_id", "program_id"]);
        let Some(id) = services.cell(r, "id") else {
            return (Value::Object(s), Vec::new());
        };
        let id = &*id;
        if let Some(o) = services
            .cell(r, "organization_id")
            .and_then(|o| self.orgs.by_id(&o))
        {
            s.insert(
                "organization".into(),
                Value::Object(self.orgs.object(o, &[])),
            );
        }
        if let Some(p) = services
            .cell(r, "program_id")
            .and_then(|p| self.progs.by_id(&p))
        {
            s.insert("program".into(), Value::Object(self.progs.object(p, &[])));
        }
        let langs = self.langs.with("service_id", id);
        if !langs.is_empty() {
            let v = Self::rows_of(self.langs, langs, LANGUAGE_LINKS);
            s.insert("languages".into(), v);
        }
        let c = self.costs.with("service_id", id);
        if !c.is_empty() {
            let v = Self::rows_of(self.costs, c, &["service_id"]);
            s.insert("cost_options".into(), v);
        }
        let e = self.elig.with("service_id", id);
        if !e.is_empty() {
            let v = Self::rows_of(self.elig, e, &["service_id"]);
            s.insert("eligibility".into(), v);
        }
        let a = self.attributes(id);
        if !a.is_empty() {
            s.insert("attributes".into(), Value::Array(a));
        }
        let own: Vec<usize> = self
            .scheds
            .with("service_id", id)
            .into_iter()
            .filter(|&x| self.scheds.cell(x, "service_at_location_id").is_none())
            .collect();
        if !own.is_empty() {
            s.insert("schedules".into(), Self::rows_of(self.scheds, own, &[]));
        }
        let (at, at_rows) = self.at_locations(id);
        s.insert("service_at_locations".into(), Value::Array(at));
        (Value::Object(s), at_rows)
    }

    /// The attributes of service `id`, each with its taxonomy term.
    fn attributes(&self, id: &str) -> Vec<Value> {
        let (attrs, terms) = (self.attrs, self.terms);
        let links = ["link_id", "link_type", "link_entity", "taxonomy_term_id"];
        attrs
            .with("link_id", id)
            .into_iter()
            .map(|a| {
                let mut o = attrs.object(a, &links);
                if let Some(t) = attrs
                    .cell(a, "taxonomy_term_id")
                    .and_then(|t| terms.by_id(&t))
                {
                    let term = terms.object(t, &["taxonomy_id", "parent_id"]);
                    o.insert("taxonomy_term".into(), Value::Object(term));
                }
                Value::Object(o)
            })
            .collect()
    }

    /// The services at locations of service `id` (each with its location
    /// and own schedules), and their row numbers.
    fn at_locations(&self, id: &str) -> (Vec<Value>, Vec<usize>) {
        let (sals, scheds) = (self.sals, self.scheds);
        let mut at = Vec::new();
        let mut rows = Vec::new();
        for x in sals.with("service_id", id) {
            rows.push(sals.number(x));
            let mut o = sals.object(x, &["service_id", "location_id"]);
            if let Some(l) = sals.cell(x, "location_id").and_then(|l| self.location(&l)) {
                o.insert("location".into(), l);
            }
            if let Some(sid) = sals.cell(x, "id") {
                let sc = scheds.with("service_at_location_id", &sid);
                if !sc.is_empty() {
                    o.insert("schedules".into(), Self::rows_of(scheds, sc, &[]));
                }
            }
            at.push(Value::Object(o));
        }
        (at, rows)
    }

    /// Location `id` with its addresses and its own languages.
    fn location(&self, id: &str) -> Option<Value> {
        let (locs, addrs, langs) = (self.locs, self.addrs, self.langs);
        let r = locs.by_id(id)?;
        let mut o = locs.object(r, &["organization_id"]);
        o.insert(
            "addresses".into(),
            Self::rows_of(addrs, addrs.with("location_id", id), &["location_id"]),
        );
        let own: Vec<usize> = langs
            .with("location_id", id)
            .into_iter()
            .filter(|&l| langs.cell(l, "service_id").is_none())
            .collect();
        o.insert(
            "languages".into(),
            Self::rows_of(langs, own, LANGUAGE_LINKS),
        );
        Some(Value::Object(o))
    }
}

/// The CSV rows of a path in the joined document of service row `r`
/// (`[r]...`, numbered `row` in its file, its services at locations at
/// `at_rows`), if it is one.
fn csv_path(p: &str, r: usize, row: usize, at_rows: &[usize]) -> Option<String> {
    let (n, tail) = p.strip_prefix('[')?.split_once(']')?;
    if n.parse::<usize>().ok()? != r {
        return None;
    }
    let mut out = format!("services.csv: row {row}");
    let mut tail = tail;
    if let Some((j, rest)) = tail
        .strip_prefix(".service_at_locations[")
        .and_then(|t| t.split_once(']'))
        && let Some(m) = j.parse::<usize>().ok().and_then(|j| at_rows.get(j))
    {
        out.push_str(&format!(", service_at_location.csv: row {m}"));
        tail = rest;
    }
    match tail.strip_prefix('.') {
        Some(rest) => out.push_str(&format!(": {rest}")),
        None => out.push_str(tail),
    }
    // Kept in the report: no room to spare.
    out.shrink_to_fit();
    Some(out)
}

/// Lines for the tables and columns not read, and notes for links to ids no
/// table holds.
fn report_tables(tables: &BTreeMap<&str, Table<'_>>, rec: &mut Recorder) {
    let ids = |file: &str, id: &str| tables.get(file).is_some_and(|t| t.by_id(id).is_some());
    for (file, t) in tables {
        let Some((_, read, links)) = TABLES.iter().find(|(f, _, _)| f == file) else {
            let why = unread_table(file);
            for r in 0..t.len() {
                let n = t.number(r);
                rec.ignored(file, None, || format!("{file}: row {n}"), why);
            }
            continue;
        };
        let stem = file.trim_end_matches(".csv");
        for r in 0..t.len() {
            let cells = t.cells(r);
            for (c, h) in t.header.iter().enumerate() {
                let Some(v) = cells[c].as_deref() else {
                    continue;
                };
                if let Some((_, target)) = links.iter().find(|(l, _)| l == h) {
                    if !ids(target, v) {
                        rec.note(
                            t.at(r, h),
                            format!("id {v:?} is in no {target} table: not joined"),
                        );
                    }
                } else if let Some(read) = read
                    && !read.contains(&h.as_str())
                {
                    rec.ignored(
                        &format!("{stem}.{h}"),
                        None,
                        || t.at(r, h),
                        "a column carematch does not read",
                    );
                }
            }
            if let Some(id) = t.col("id").and_then(|c| cells[c].as_deref())
                && let [first, _, ..] = t.with("id", id)[..]
                && first != r
            {
                rec.note(
                    t.at(r, "id"),
                    format!(
                        "id {id:?} is also at row {}: links join that row",
                        t.number(first)
                    ),
                );
            }
            link_notes(tables, file, t, r, rec);
        }
    }
}

/// Notes for rows joined in a way carematch does not read: attributes of
/// something other than a service, links to ids no table holds.
fn link_notes(
    tables: &BTreeMap<&str, Table<'_>>,
    file: &str,
    t: &Table<'_>,
    r: usize,
    rec: &mut Recorder,
) {
    let ids = |f: &str, id: &str| tables.get(f).is_some_and(|x| x.by_id(id).is_some());
    match file {
        "attributes.csv" => {
            let Some(link) = t.cell(r, "link_id") else {
                rec.note(
                    t.at(r, "link_id"),
                    "an attribute linked to nothing: not read",
                );
                return;
            };
            let link = &*link;
            if ids("services.csv", link) {
                return;
            }
            let other = [
                "locations.csv",
                "organizations.csv",
                "service_at_location.csv",
            ]
            .into_iter()
            .find(|f| ids(f, link));
            rec.note(
                t.at(r, "link_id"),
                match other {
                    Some(f) => {
                        format!("links to {link:?} in {f}: attributes are read for services only")
                    }
                    None => format!("id {link:?} is in no table: not joined"),
                },
            );
        }
        "schedules.csv"
            if t.cell(r, "service_id").is_none()
                && t.cell(r, "service_at_location_id").is_none() =>
        {
            rec.note(
                t.at(r, "service_id"),
                "a schedule of a location alone: schedules are read for services",
            );
        }
        "service_at_location.csv" | "cost_options.csv" if t.cell(r, "service_id").is_none() => {
            rec.note(t.at(r, "service_id"), "no service: not joined");
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::{CsvError, parse};

    fn rows(s: &str) -> Vec<Vec<String>> {
        parse(s).unwrap()
    }

    #[test]
    fn rfc_4180_fields() {
        assert_eq!(rows("a,b\r\n1,2\r\n"), [["a", "b"], ["1", "2"]]);
        assert_eq!(rows("a,b\n1,2"), [["a", "b"], ["1", "2"]]);
        assert_eq!(
            rows("a\n\"x, \"\"y\"\"\r\nz\"\n"),
            [vec!["a"], vec!["x, \"y\"\r\nz"]]
        );
        assert_eq!(rows("a,b\n,\n"), [["a", "b"], ["", ""]]);
        assert_eq!(rows("\u{feff}a\n\n1\n"), [["a"], ["1"]]);
        assert_eq!(rows("a,\"\"\n"), [["a", ""]]);
        assert_eq!(rows(""), Vec::<Vec<String>>::new());
    }

    #[test]
    fn malformed_fields_say_where() {
        let e = |s: &str| parse(s).unwrap_err();
        assert_eq!(
            e("a,b\n1,\"2\n"),
            CsvError {
                row: 2,
                column: 1,
                message: "a quoted field is not closed before the end of the file"
            }
        );
        assert_eq!(e("a,b\n1,2\"\n").column, 1);
        assert_eq!(e("a,b\nx,\"2\"z\n").row, 2);
    }
}

// ------------------------------------------------------------ versions

/// The HSDS version a data package is in, and how it was told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// 1.0 and 1.1: `services_at_location.csv`, `physical_addresses.csv`,
    /// `regular_schedules.csv` (a row per weekday), `services_taxonomy.csv`
    /// with `taxonomy.csv`, `eligibility.csv`, `payments_accepted.csv`.
    V1(Told),
    /// 2.0: `services_at_location.csv`, `physical_addresses.csv`,
    /// `schedules.csv` (RRULE), `service_attributes.csv` with
    /// `taxonomy_terms.csv` (`term`), `eligibility.csv`, `payments_accepted.csv`.
    V2(Told),
    /// 3.x: `service_at_location.csv`, `addresses.csv`, `schedules.csv`,
    /// `attributes.csv` with `taxonomy_terms.csv` (`name`), `cost_options.csv`.
    V3(Told),
}

/// How a version was told: the package descriptor's `version`, or the
/// table names (the descriptor absent or its version unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Told {
    Descriptor,
    Tables,
}

impl Version {
    /// The version of a package: `datapackage.json`'s `version` when it
    /// names 1.x, 2.x or 3.x; else the tables only one version has.
    fn detect(files: &BTreeMap<String, String>, tables: &BTreeMap<&str, Table<'_>>) -> Version {
        let declared = files
            .get("datapackage.json")
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
            .and_then(|d| d.get("version").and_then(Value::as_str).map(str::to_owned));
        match declared.as_deref().and_then(|v| v.trim().chars().next()) {
            Some('1') => return Version::V1(Told::Descriptor),
            Some('2') => return Version::V2(Told::Descriptor),
            Some('3') => return Version::V3(Told::Descriptor),
            _ => {}
        }
        let has = |f: &str| tables.contains_key(f);
        if has("services_taxonomy.csv") || has("taxonomy.csv") || has("regular_schedules.csv") {
            Version::V1(Told::Tables)
        } else if has("service_attributes.csv")
            || has("services_at_location.csv")
            || has("physical_addresses.csv")
            || has("payments_accepted.csv")
        {
            Version::V2(Told::Tables)
        } else {
            Version::V3(Told::Tables)
        }
    }

    /// The version's name for people.
    fn label(self) -> &'static str {
        match self {
            Version::V1(_) => "HSDS 1.x",
            Version::V2(_) => "HSDS 2.0",
            Version::V3(_) => "HSDS 3.x",
        }
    }

    /// The report's line saying which version was read and how it was told.
    fn report(self, rec: &mut Recorder, files: &BTreeMap<String, String>) {
        let (Version::V1(told) | Version::V2(told) | Version::V3(told)) = self;
        let how = match told {
            Told::Descriptor => "by datapackage.json's version",
            Told::Tables => "by its table names (no version in a datapackage.json)",
        };
        let to = match self {
            Version::V3(_) => format!("{} tables, read as they are", self.label()),
            _ => format!(
                "{} tables, read through the specification's renames into HSDS 3.0's (services_at_location to service_at_location, physical_addresses to addresses, ...)",
                self.label()
            ),
        };
        let at = || {
            if files.contains_key("datapackage.json") {
                "datapackage.json".to_owned()
            } else {
                "(the package's tables)".to_owned()
            }
        };
        rec.mapped(
            "(HSDS version)",
            Some(&format!("{} ({how})", self.label())),
            at,
            vec![to],
            Method::Read,
            1.0,
        );
    }
}

/// The weekday of a 1.x `regular_schedules.csv` row as an RRULE `byday`
/// code: names ("Monday", "mon"), or ISO 8601 numbers (1 Monday to 7 Sunday).
fn weekday_code(v: &str) -> Option<&'static str> {
    const DAYS: [(&str, &str); 7] = [
        ("mo", "MO"),
        ("tu", "TU"),
        ("we", "WE"),
        ("th", "TH"),
        ("fr", "FR"),
        ("sa", "SA"),
        ("su", "SU"),
    ];
    let v = v.trim().to_ascii_lowercase();
    if let Ok(n) = v.parse::<usize>() {
        return (1..=7).contains(&n).then(|| DAYS[n - 1].1);
    }
    DAYS.iter().find(|(p, _)| v.starts_with(p)).map(|(_, c)| *c)
}

/// Moves the table `from` to the name `to` (a note when both exist: `to` is kept).
fn rename_table<'a>(
    tables: &mut BTreeMap<&'a str, Table<'a>>,
    from: &str,
    to: &'static str,
    rec: &mut Recorder,
) -> bool {
    if tables.contains_key(to) {
        if let Some(t) = tables.get(from) {
            rec.note(
                t.file.to_owned(),
                format!("both {from} and {to} are in the package: {to} is read"),
            );
        }
        return false;
    }
    let Some(t) = tables.remove(from) else {
        return false;
    };
    tables.insert(to, t);
    true
}

/// Reads an HSDS 1.x or 2.0 package's tables as HSDS 3.0's, by the
/// specification's renames; 3.x tables are left as they are. Each table
/// keeps its own file name in the report's paths.
fn translate<'a>(tables: &mut BTreeMap<&'a str, Table<'a>>, version: Version, rec: &mut Recorder) {
    if matches!(version, Version::V3(_)) {
        return;
    }
    rename_table(
        tables,
        "services_at_location.csv",
        "service_at_location.csv",
        rec,
    );
    // Addresses: physical first, postal beside them (marked).
    let postal = tables.remove("postal_addresses.csv");
    if rename_table(tables, "physical_addresses.csv", "addresses.csv", rec)
        && let Some(a) = tables.get_mut("addresses.csv")
    {
        a.add_const("address_type", "physical");
    }
    if let Some(mut p) = postal {
        p.add_const("address_type", "postal");
        match tables.get_mut("addresses.csv") {
            Some(a) => a.append(p),
            None => {
                tables.insert("addresses.csv", p);
            }
        }
    }
    if let Some(l) = tables.get_mut("languages.csv") {
        l.rename("language", "name");
    }
    if rename_table(tables, "payments_accepted.csv", "cost_options.csv", rec)
        && let Some(c) = tables.get_mut("cost_options.csv")
    {
        c.rename("payment", "option");
    }
    // Taxonomy: 1.x services_taxonomy + taxonomy; 2.0 service_attributes + taxonomy_terms (`term`).
    if rename_table(tables, "services_taxonomy.csv", "attributes.csv", rec)
        && let Some(a) = tables.get_mut("attributes.csv")
    {
        a.rename("service_id", "link_id");
        a.rename("taxonomy_id", "taxonomy_term_id");
    }
    if rename_table(tables, "service_attributes.csv", "attributes.csv", rec)
        && let Some(a) = tables.get_mut("attributes.csv")
    {
        a.rename("service_id", "link_id");
    }
    if !tables.contains_key("taxonomy_terms.csv") {
        rename_table(tables, "taxonomy.csv", "taxonomy_terms.csv", rec);
    }
    if let Some(t) = tables.get_mut("taxonomy_terms.csv") {
        t.rename("term", "name");
    }
    // 1.x regular schedules: a row per weekday, as weekly rules.
    if rename_table(tables, "regular_schedules.csv", "schedules.csv", rec)
        && let Some(t) = tables.get_mut("schedules.csv")
    {
        t.add_const("freq", "WEEKLY");
        let mut unread = Vec::new();
        for r in 0..t.len() {
            if let Some(w) = t.cell(r, "weekday")
                && weekday_code(&w).is_none()
            {
                unread.push((t.at(r, "weekday"), w.into_owned()));
            }
        }
        t.add_byday("byday", "weekday");
        if let Some(c) = t.col("weekday") {
            t.header[c] = "(weekday, read as byday)".to_owned();
        }
        for (at, w) in unread {
            rec.note(
                at,
                format!("weekday {w:?} is not a day (names, or 1 Monday to 7 Sunday): not read"),
            );
        }
    }
    if !tables.contains_key("service_at_location.csv") {
        rec.note(
            "(the package's tables)".to_owned(),
            format!(
                "{} without services_at_location.csv: no service has a place, so none can be a program",
                version.label()
            ),
        );
    }
}
