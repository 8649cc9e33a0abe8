//! The directory: the face of ranking. Its lifecycle (build, load),
//! updates one program at a time, queries, rankings and explanations. It
//! owns the programs (compactly stored), the compiled rows and the
//! partitions (`index/`), and ranks through the index, which borrows them.

use crate::matching::evidence::EvidenceTable;
use crate::matching::explain::exclusion_reasons;
use crate::matching::facts::FactSource;
use crate::matching::index::{
    Index, Loaded, Parts, Rows, Scan, Store, View, narrow, read_snapshot, write_snapshot,
};
use crate::matching::output::{Exclusion, Explanation, Match, Ranking};
use crate::matching::query::{MatchOptions, Query};
use crate::matching::rank::{Scored, explain_match, explain_one, rank_scored, rank_with};
use crate::matching::weights::Weights;
use crate::{
    date::Date,
    error::{Error, ValidationReport},
    level::LevelOfCare,
    patient::PatientNeeds,
    program::{NotListed, Program, validate_programs},
};

/// A directory of programs, validated and compiled once for ranking, and
/// kept up to date one program at a time.
///
/// `Send + Sync`: share it (for example in an `Arc<RwLock<_>>`) and rank any
/// number of patients against it. Ranking scores compact rows of bitmasks
/// and builds explanations only for the top k; it returns exactly what
/// [`crate::matching::rank_plain`] returns over the same programs. Updates
/// ([`Directory::insert`], [`Directory::replace`], [`Directory::remove`],
/// [`Directory::set_accepting`]) validate and compile the one program they
/// touch; afterwards every ranking equals that of a directory built afresh
/// from [`Directory::programs`].
///
/// A [`Query`] stays valid across updates: it holds the patient compiled
/// (with the evidence table), nothing of the programs, so a query compiled
/// before any number of updates ranks and explains exactly as one compiled
/// after them would. A service can keep a patient's query while the
/// directory changes under it.
///
/// # Example
///
/// ```
/// use carematch::{Directory, sample, matching::{MatchOptions, Weights}};
///
/// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
/// let patient = &sample::patients()[0];
/// let level = patient.needs.level.expect("the sample patient names a level");
/// let query = dir.query(&patient.needs, level, MatchOptions::new(sample::AS_OF))?;
/// let ranking = dir.rank(&query, &Weights::default(), 5);
/// for m in &ranking.matches {
///     println!("{:.3} {}", m.score, m.program_name);
/// }
/// # Ok::<(), carematch::Error>(())
/// ```
#[derive(Clone)]
pub struct Directory {
    /// The programs, encoded compactly, with the O(1) lookup by id; a
    /// [`Program`] is decoded on demand.
    programs: Store,
    /// Positions in `programs`, in program-id order.
    by_rank: Vec<u32>,
    /// The compiled rows, in slots (see [`Rows`]), borrowed by the index.
    rows: Rows,
    /// The date updates are validated against.
    as_of: Date,
    warnings: ValidationReport,
    evidence: EvidenceTable,
    /// Positions by place, licensed telehealth state and levels, and the
    /// filter tallies: what lets a ranking skip programs unread.
    parts: Parts,
    scan: Scan,
}

impl std::fmt::Debug for Directory {
    /// A summary (the index is large): how many programs, index bytes and warnings.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Directory")
            .field("programs", &self.programs.len())
            .field("index_bytes", &self.index_bytes())
            .field("warnings", &self.warnings.problems.len())
            .field("as_of", &self.as_of)
            .finish_non_exhaustive()
    }
}

impl Directory {
    /// Validates `programs` (judging verification dates against `as_of`)
    /// and compiles them. Warnings are kept ([`Directory::warnings`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with every problem when validation finds an error;
    /// [`ErrorKind::Limit`](crate::ErrorKind::Limit) when a directory is beyond the index's limits (more
    /// than 2^32 programs, or more distinct payers or languages than the index's ids hold).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut programs = sample::massachusetts();
    /// programs[2].name.clear();
    /// let err = Directory::new(programs, sample::AS_OF).unwrap_err();
    /// assert!(err.to_string().contains("programs[2].name: is empty"));
    /// ```
    pub fn new(programs: Vec<Program>, as_of: Date) -> Result<Directory, Error> {
        let warnings = validate_programs(&programs, as_of).into_result()?;
        Directory::compile_all(programs, warnings, as_of)
    }

    /// Compiles programs already validated.
    fn compile_all(
        programs: Vec<Program>,
        warnings: ValidationReport,
        as_of: Date,
    ) -> Result<Directory, Error> {
        narrow::<u32>(programs.len(), "programs")?;
        let mut d = Directory::empty(as_of, programs.len());
        d.warnings = warnings;
        // Each program is freed once stored, so the parsed programs and
        // the store are not both whole at once.
        for p in programs {
            d.push_compiled(&p)?;
        }
        d.finish_build();
        Ok(d)
    }

    /// An empty directory with room for `n` programs, ready for
    /// [`Directory::push_compiled`] and [`Directory::finish_build`].
    fn empty(as_of: Date, n: usize) -> Directory {
        Directory {
            programs: Store::with_capacity(n),
            by_rank: Vec::new(),
            rows: Rows::with_capacity(n),
            as_of,
            warnings: ValidationReport::default(),
            evidence: EvidenceTable::default(),
            parts: Parts::default(),
            scan: Scan::Auto,
        }
    }

    /// Compiles and stores one more program (validated, its id new) while a
    /// directory is built: its rows go in position order, with its id rank
    /// and slot left to [`Directory::finish_build`].
    fn push_compiled(&mut self, p: &Program) -> Result<(), Error> {
        narrow::<u32>(self.programs.len() + 1, "programs")?;
        self.rows.push(p)?;
        self.programs.push(p);
        Ok(())
    }

    /// Finishes a directory built with [`Directory::push_compiled`]: id
    /// ranks, rows put in slots (by levels offered, remote telehealth or
    /// not, grid cell, then position), partitions and tallies.
    fn finish_build(&mut self) {
        let n = self.programs.len();
        let mut by_rank: Vec<u32> = (0..n as u32).collect();
        by_rank.sort_by(|a, b| {
            self.programs
                .id(*a as usize)
                .cmp(self.programs.id(*b as usize))
        });
        self.rows.finish_build(&by_rank);
        self.by_rank = by_rank;
        self.programs.shrink_to_fit();
        for slot in 0..n {
            self.parts.add(slot as u32, &self.rows.part_key(slot));
        }
    }

    /// Reads, validates, compiles and stores a directory document in one
    /// pass, each program dropped as soon as it is stored (so the parsed
    /// programs are never all in memory); the validation report's errors
    /// (a duplicate id among them: duplicates are stored, then reported) as
    /// the plain path reports them. `None` when the one pass does not read
    /// the document or passes a limit of the index, which the plain path
    /// then reads (and reports) instead.
    #[cfg(feature = "serde")]
    fn stream(text: &str, as_of: Date) -> Option<Result<Directory, Error>> {
        let mut d = Directory::empty(as_of, 0);
        let mut check = crate::program::DirectoryCheck::new(as_of);
        let mut failed = false;
        crate::load::read_each(text, as_of, &mut |batch| {
            for c in batch.iter_mut() {
                check.checked(std::mem::take(&mut c.report));
                // A duplicate id is stored too, and reported below.
                failed = failed || d.push_compiled(&c.program).is_err();
            }
        })?;
        if failed {
            return None;
        }
        let ids = (0..d.programs.len()).map(|i| d.programs.id(i));
        d.warnings = match check.finish_ids(ids).into_result() {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        d.finish_build();
        Some(Ok(d))
    }

    /// Reads a directory document (`{"programs": [...]}`, as
    /// [`crate::programs_from_json`]), validates it once and compiles it; the
    /// warnings stay on the directory ([`Directory::warnings`]).
    ///
    /// Each program is stored as soon as it is read and checked, and
    /// dropped, so the parsed programs are never all in memory. A document
    /// of 8 MiB or more is read and checked on the machine's threads (at
    /// most 8, joined before this returns) and compiled, in document order,
    /// on this one; the directory, its warnings and every error are those of
    /// reading on one thread (see [`crate::load_directory`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`](crate::ErrorKind::Json) naming the field path for
    /// a document of the wrong shape, and as [`Directory::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let dir = Directory::from_json(sample::MASSACHUSETTS_JSON, sample::AS_OF)?;
    /// assert_eq!(dir.len(), sample::massachusetts().len());
    /// assert!(!dir.warnings().has_errors());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str, as_of: Date) -> Result<Directory, Error> {
        if let Some(built) = Directory::stream(text, as_of) {
            return built;
        }
        let (programs, report) = crate::load::read_and_check(text, as_of)?;
        Directory::compile_all(programs, report.into_result()?, as_of)
    }

    /// As [`Directory::from_json`], reading the document from `reader` (a
    /// file, a request body).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`](crate::ErrorKind::Json) when the reader fails or
    /// the text is not valid UTF-8, and as [`Directory::from_json`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let dir = Directory::from_reader(sample::MASSACHUSETTS_JSON.as_bytes(), sample::AS_OF)?;
    /// assert!(!dir.is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn from_reader<R: std::io::Read>(mut reader: R, as_of: Date) -> Result<Directory, Error> {
        let mut text = String::new();
        reader
            .read_to_string(&mut text)
            .map_err(|e| Error::json(String::new(), format!("cannot read the document: {e}")))?;
        Directory::from_json(&text, as_of)
    }

    /// Writes the compiled directory to `w` as a snapshot: a versioned,
    /// checksummed binary file that [`Directory::read_snapshot`] reads back
    /// without compiling anything (`docs/snapshot.md` gives the format
    /// field by field). It holds the programs (as the directory stores
    /// them), the compiled rows, the `as_of` date and the warnings; not
    /// the evidence table (a directory read back has the default one: set
    /// another with [`Directory::with_evidence`]).
    ///
    /// Nothing is buffered whole: the payload is encoded twice, once to
    /// count and checksum it for the header, once to write it. Give a
    /// buffered writer (a `BufWriter` around a file).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Snapshot`](crate::ErrorKind::Snapshot) when `w` fails.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let mut bytes = Vec::new();
    /// dir.write_snapshot(&mut bytes)?;
    /// let back = Directory::read_snapshot(bytes.as_slice())?;
    /// assert_eq!(back.programs().collect::<Vec<_>>(), dir.programs().collect::<Vec<_>>());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn write_snapshot<W: std::io::Write>(&self, w: W) -> Result<(), Error> {
        let view = View {
            store: &self.programs,
            by_rank: &self.by_rank,
            rows: &self.rows,
            parts: &self.parts,
            as_of: self.as_of,
            warnings: &self.warnings,
        };
        write_snapshot(&view, w)
    }

    /// Reads a directory written by [`Directory::write_snapshot`]: the
    /// arrays (the rows, the partitions and tallies, the program records)
    /// are read as they were written and checked, not compiled from
    /// programs or counted from rows; only the lookups by id are hashed
    /// again. It ranks, explains, counts exclusions and
    /// takes updates exactly as the directory written did (with the
    /// default evidence table). It reads no byte past the snapshot's end.
    /// For 50,000 programs or more, the check that every program record
    /// decodes runs on two threads, joined before this returns.
    ///
    /// A length in the file is never trusted: every array grows only as
    /// its bytes arrive, so a forged length costs no more memory than the
    /// input holds. Give a buffered reader (a `BufReader` around a file)
    /// or a byte slice.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Snapshot`](crate::ErrorKind::Snapshot), its message
    /// naming what is wrong: not a snapshot (the magic bytes), another
    /// format version, another build's layout (programs, rows or
    /// vocabularies that differ: write the snapshot again), corrupted (a
    /// checksum that does not hold, with both values), truncated (where
    /// the file ends), or inconsistent (which array, which entry).
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, ErrorKind, sample};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let mut bytes = Vec::new();
    /// dir.write_snapshot(&mut bytes)?;
    /// let err = Directory::read_snapshot(&bytes[..bytes.len() - 1]).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Snapshot);
    /// assert!(err.to_string().contains("truncated"), "{err}");
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn read_snapshot<R: std::io::Read>(r: R) -> Result<Directory, Error> {
        let Loaded {
            store,
            by_rank,
            rows,
            parts,
            as_of,
            warnings,
        } = read_snapshot(r)?;
        Ok(Directory {
            programs: store,
            by_rank,
            rows,
            as_of,
            warnings,
            evidence: EvidenceTable::default(),
            parts,
            scan: Scan::Auto,
        })
    }

    /// The same directory using `evidence` for queries made with [`Directory::query`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample, matching::EvidenceTable};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?
    ///     .with_evidence(EvidenceTable::default());
    /// assert!(!dir.evidence().rows().is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn with_evidence(mut self, evidence: EvidenceTable) -> Directory {
        self.evidence = evidence;
        self
    }

    /// The same directory ranking with `scan` (benchmarks and tests compare
    /// the partitioned index with the full scan; rankings are equal). Only
    /// with the `testing` feature.
    #[doc(hidden)]
    #[cfg(feature = "testing")]
    pub fn with_scan(mut self, scan: Scan) -> Directory {
        self.scan = scan;
        self
    }

    /// The programs, in the order given (an inserted program last, a removed
    /// one's place closed up), each decoded as it is reached: the directory
    /// keeps its programs compactly encoded (ranking reads the compiled
    /// index), so each item is a [`Program`] of its own. Collect them when
    /// you need them all at once.
    ///
    /// # Example
    ///
    /// ```
    /// let programs = carematch::sample::massachusetts();
    /// let dir = carematch::Directory::new(programs.clone(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.programs().len(), dir.len());
    /// assert_eq!(dir.programs().collect::<Vec<_>>(), programs);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn programs(
        &self,
    ) -> impl ExactSizeIterator<Item = Program> + DoubleEndedIterator + Clone + '_ {
        (0..self.programs.len()).map(|i| self.programs.get(i))
    }

    /// The ids of the programs, in the order of [`Directory::programs`],
    /// read without decoding the programs.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// let first = dir.ids().next().expect("the sample is not empty");
    /// assert_eq!(dir.get(first).map(|p| p.id), Some(first.parse()?));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn ids(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone + '_ {
        (0..self.programs.len()).map(|i| self.programs.id(i))
    }

    /// The program with `id`, if any, found in O(1) and decoded.
    ///
    /// # Example
    ///
    /// ```
    /// let programs = carematch::sample::massachusetts();
    /// let dir = carematch::Directory::new(programs.clone(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.get(programs[0].id.as_str()).as_ref(), Some(&programs[0]));
    /// assert_eq!(dir.get("no-such-program"), None);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn get<Id: AsRef<str> + ?Sized>(&self, id: &Id) -> Option<Program> {
        self.position(id.as_ref()).map(|i| self.programs.get(i))
    }

    /// Whether a program has `id`.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(dir.contains(carematch::sample::massachusetts()[0].id.as_str()));
    /// assert!(!dir.contains("no-such-program"));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn contains<Id: AsRef<str> + ?Sized>(&self, id: &Id) -> bool {
        self.position(id.as_ref()).is_some()
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.programs.position(id)
    }

    /// Program `i`'s open slots (`i` as in [`Directory::programs`]), read
    /// without decoding the program.
    pub(crate) fn open_slots_at(&self, i: usize) -> Option<u32> {
        self.programs.open_slots(i)
    }

    /// A directory of the programs at `positions` (in that order), with this
    /// one's date, evidence table and scan: a program ranks there as it does
    /// here (eligibility and scores are read per program). The assignment
    /// ranks referrals against the programs that still have a slot.
    pub(crate) fn subset(&self, positions: &[usize]) -> Result<Directory, Error> {
        let programs = positions.iter().map(|&i| self.programs.get(i)).collect();
        let mut d = Directory::new(programs, self.as_of)?;
        d.evidence = self.evidence.clone();
        d.scan = self.scan;
        Ok(d)
    }

    fn position_or_err(&self, id: &str) -> Result<usize, Error> {
        self.position(id).ok_or_else(|| Error::unknown_program(id))
    }

    /// Adds `program`, validating it alone (against the `as_of` date the
    /// directory was built with) and compiling its row; nothing else is
    /// rebuilt. Returns the program's warnings (paths relative to the program).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DuplicateProgram`](crate::ErrorKind::DuplicateProgram)
    /// when a program already has its id;
    /// [`ErrorKind::Invalid`](crate::ErrorKind::Invalid) with every error
    /// when it fails validation; [`ErrorKind::Limit`](crate::ErrorKind::Limit)
    /// beyond the index's limits. The directory is unchanged on error.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, ErrorKind, sample};
    /// let mut programs = sample::massachusetts();
    /// let last = programs.pop().unwrap();
    /// let mut dir = Directory::new(programs, sample::AS_OF)?;
    /// dir.insert(last.clone())?;
    /// assert!(dir.contains(last.id.as_str()));
    /// assert_eq!(dir.insert(last).unwrap_err().kind(), ErrorKind::DuplicateProgram);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn insert(&mut self, program: Program) -> Result<ValidationReport, Error> {
        if self.contains(&program.id) {
            return Err(Error::duplicate_program(program.id.as_str()));
        }
        let warnings = program.validate(self.as_of).into_result()?;
        let i = narrow::<u32>(self.programs.len(), "programs")?;
        narrow::<u32>(self.programs.len() + 1, "programs")?;
        let rank = self
            .by_rank
            .partition_point(|r| self.programs.id(*r as usize) < program.id.as_str());
        // The next slot (`i`, as every position has one).
        let slot = self.rows.insert(&program, rank as u32)?;
        self.by_rank.insert(rank, i);
        self.programs.push(&program);
        self.parts.add(slot, &self.rows.part_key(slot as usize));
        Ok(warnings)
    }

    /// Replaces the program with `program`'s id by `program`, validating and
    /// compiling it alone; it keeps its place in [`Directory::programs`].
    /// Returns its warnings (paths relative to the program).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownProgram`](crate::ErrorKind::UnknownProgram) when
    /// no program has its id, and as [`Directory::insert`]. The directory is
    /// unchanged on error.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let mut p = sample::massachusetts().remove(0);
    /// p.name = "Renamed".into();
    /// dir.replace(p.clone())?;
    /// assert_eq!(dir.get(p.id.as_str()).map(|p| p.name), Some("Renamed".to_owned()));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn replace(&mut self, program: Program) -> Result<ValidationReport, Error> {
        let i = self.position_or_err(program.id.as_str())?;
        let warnings = program.validate(self.as_of).into_result()?;
        let s = self.rows.slot(i);
        let old = self.rows.part_key(s);
        self.rows.replace(s, &program)?;
        self.parts.remove(s as u32, &old);
        self.programs.set(i, &program);
        self.parts.add(s as u32, &self.rows.part_key(s));
        Ok(warnings)
    }

    /// Inserts `program`, or replaces the program with its id (as a `PUT`
    /// does). Returns its warnings.
    ///
    /// # Errors
    ///
    /// As [`Directory::insert`] and [`Directory::replace`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut dir = Directory::new(Vec::new(), sample::AS_OF)?;
    /// let p = sample::massachusetts().remove(0);
    /// dir.upsert(p.clone())?;
    /// dir.upsert(p)?;
    /// assert_eq!(dir.len(), 1);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn upsert(&mut self, program: Program) -> Result<ValidationReport, Error> {
        if self.contains(&program.id) {
            self.replace(program)
        } else {
            self.insert(program)
        }
    }

    /// Removes the program with `id` and returns it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownProgram`](crate::ErrorKind::UnknownProgram) when
    /// no program has `id`.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let id = sample::massachusetts()[3].id.clone();
    /// let removed = dir.remove(id.as_str())?;
    /// assert_eq!(removed.id, id);
    /// assert!(dir.get(id.as_str()).is_none());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn remove<Id: AsRef<str> + ?Sized>(&mut self, id: &Id) -> Result<Program, Error> {
        let id = id.as_ref();
        let i = self.position_or_err(id)?;
        let s = self.rows.slot(i);
        self.parts.remove(s as u32, &self.rows.part_key(s));
        self.parts.close_up(s as u32);
        let rank = self.rows.remove(s, i);
        self.by_rank.remove(rank as usize);
        for r in &mut self.by_rank {
            if *r as usize > i {
                *r -= 1;
            }
        }
        let program = self.programs.get(i);
        self.programs.remove(i);
        Ok(program)
    }

    /// Sets whether the program with `id` accepts new patients and its
    /// typical wait in days (`None`: not listed), the update a program's
    /// intake desk sends most often; the new-patient status is listed from
    /// then on. The program is validated again.
    /// Returns its warnings.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownProgram`](crate::ErrorKind::UnknownProgram) when
    /// no program has `id`; [`ErrorKind::Invalid`](crate::ErrorKind::Invalid)
    /// when the program no longer validates. The directory is unchanged on error.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, sample};
    /// let mut dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let id = sample::massachusetts()[0].id.clone();
    /// dir.set_accepting(id.as_str(), false, Some(21))?;
    /// let p = dir.get(id.as_str()).unwrap();
    /// assert!(!p.accepting_new_patients);
    /// assert_eq!(p.typical_wait_days, Some(21));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn set_accepting<Id: AsRef<str> + ?Sized>(
        &mut self,
        id: &Id,
        accepting: bool,
        typical_wait_days: Option<u16>,
    ) -> Result<ValidationReport, Error> {
        let i = self.position_or_err(id.as_ref())?;
        let p = self.programs.get(i);
        // The new-patient status is now listed; so is the wait when given
        // (a `None` wait is not listed, as in a program's JSON).
        let mut not_listed = p.not_listed.clone();
        not_listed.retain(|n| {
            *n != NotListed::AcceptingNewPatients
                && (*n != NotListed::Wait || typical_wait_days.is_none())
        });
        let changed = Program {
            accepting_new_patients: accepting,
            typical_wait_days,
            not_listed,
            ..p
        };
        let warnings = changed.validate(self.as_of).into_result()?;
        let s = self.rows.slot(i);
        self.parts.remove(s as u32, &self.rows.part_key(s));
        self.programs.set(i, &changed);
        self.rows.set_status(s, &changed);
        self.parts.add(s as u32, &self.rows.part_key(s));
        Ok(warnings)
    }

    /// How many programs.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(Vec::new(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.len(), 0);
    /// assert!(dir.is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.programs.len()
    }

    /// Whether there are no programs.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(!dir.is_empty());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.programs.is_empty()
    }

    /// Validation warnings found when the directory was built (each update
    /// returns the warnings of the program it touched).
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(!dir.warnings().has_errors());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn warnings(&self) -> &ValidationReport {
        &self.warnings
    }

    /// The evidence table [`Directory::query`] compiles queries with.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(Vec::new(), carematch::sample::AS_OF)?;
    /// assert_eq!(dir.evidence(), &carematch::matching::EvidenceTable::default());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn evidence(&self) -> &EvidenceTable {
        &self.evidence
    }

    /// Compiles `needs` at `level` with this directory's evidence table; with
    /// `None` for the level, at the one the needs name
    /// ([`PatientNeeds::level`], as a patient file may). A level passed in
    /// is checked against the needs' own (a clinician's override is recorded
    /// with [`Directory::query_for`] instead).
    ///
    /// # Errors
    ///
    /// As [`Query::new`]; and [`ErrorKind::Query`](crate::ErrorKind::Query)
    /// at the path `level` when neither `level` nor the needs give one.
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, LevelOfCare, sample, matching::MatchOptions};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// // The sample patient's file names its level: nothing more to pass.
    /// let patient = &sample::patients()[0];
    /// let q = dir.query(&patient.needs, None, MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(Some(q.level()), patient.needs.level);
    /// // Needs without a level: pass it.
    /// let needs = &sample::patients()[1].needs;
    /// let q = dir.query(needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.needs().age, 16);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn query(
        &self,
        needs: &PatientNeeds,
        level: impl Into<Option<LevelOfCare>>,
        options: MatchOptions,
    ) -> Result<Query, Error> {
        let Some(level) = level.into().or(needs.level) else {
            let mut missing = ValidationReport::default();
            missing.error(
                "level",
                "no level of care: give one, or the patient's `level`, or rank for an assessment's recommendation",
            );
            return Err(Error::query(missing));
        };
        Query::new(needs, level, &self.evidence, options)
    }

    /// Compiles `needs` at the level `recommendation` gives, with this
    /// directory's evidence table, carrying the assessment into matching.
    ///
    /// # Errors
    ///
    /// As [`Query::for_recommendation`].
    ///
    /// # Example
    ///
    /// ```
    /// use carematch::{Directory, LevelPolicy, sample, matching::MatchOptions};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let patient = &sample::patients()[0];
    /// let rec = LevelPolicy::default().recommend(&patient.assessment);
    /// let q = dir.query_for(&patient.needs, &rec, MatchOptions::new(sample::AS_OF))?;
    /// assert_eq!(q.level(), rec.effective_level());
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn query_for(
        &self,
        needs: &PatientNeeds,
        recommendation: &crate::level::LevelRecommendation,
        options: MatchOptions,
    ) -> Result<Query, Error> {
        Query::for_recommendation(needs, recommendation, &self.evidence, options)
    }

    /// Bytes the compiled index takes, beyond the original programs.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(dir.index_bytes() / dir.len() < 1024);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn index_bytes(&self) -> usize {
        self.rows.bytes() + self.parts.bytes()
    }

    /// Bytes the stored programs take: their compact records, the strings
    /// they share (organizations, places, payer plan and track names) and
    /// the lookup by id. With [`Directory::index_bytes`], what the
    /// directory holds.
    ///
    /// # Example
    ///
    /// ```
    /// let dir = carematch::Directory::new(carematch::sample::massachusetts(), carematch::sample::AS_OF)?;
    /// assert!(dir.store_bytes() > 0);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn store_bytes(&self) -> usize {
        self.programs.heap_bytes()
    }

    /// [`Directory::store_bytes`] in parts: the records (with where each
    /// starts), the shared strings (with their lookup), the id table. A
    /// measurement aid, not part of the API (only with the `testing` feature).
    #[doc(hidden)]
    #[cfg(feature = "testing")]
    pub fn store_parts(&self) -> (usize, usize, usize) {
        self.programs.heap_parts()
    }

    /// A checksum over every byte of the compiled index, read once in order:
    /// the memory-scan baseline that ranking speed is measured against. A
    /// benchmark aid, not part of the API (only with the `testing` feature).
    #[doc(hidden)]
    #[cfg(feature = "testing")]
    pub fn scan_index(&self) -> u64 {
        self.rows.checksum()
    }

    /// Everything about one program for one patient: where it would rank
    /// in the full ranking (even outside the top k) with its whole
    /// breakdown, as a match or a labelled alternative; or every reason it
    /// is excluded; or that no program has `id`. Answers "why is X not on my
    /// list?" and "how does X compare?". One pass over the directory (to
    /// count the programs ranked above it); the lookup by id is O(1).
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let patient = &sample::patients()[1];
    /// let q = dir.query(&patient.needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
    /// let ranking = dir.rank(&q, &Weights::default(), 3);
    /// let first = &ranking.matches[0];
    /// match dir.explain(&q, &Weights::default(), first.program_id.as_str()) {
    ///     Explanation::Match { rank, details } => assert_eq!((rank, &details), (1, first)),
    ///     other => panic!("{other:?}"),
    /// }
    /// let adults_only = dir.programs().find(|p| p.ages.min >= 18).unwrap();
    /// let Explanation::Excluded { details } = dir.explain(&q, &Weights::default(), adults_only.id.as_str()) else {
    ///     panic!("a 16-year-old cannot attend an adults-only program");
    /// };
    /// assert!(details.reasons.iter().any(|r| matches!(r, ExclusionReason::AgeOutOfRange { .. })));
    /// assert!(matches!(dir.explain(&q, &Weights::default(), "nope"), Explanation::UnknownProgram { .. }));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn explain<Id: AsRef<str> + ?Sized>(
        &self,
        q: &Query,
        weights: &Weights,
        id: &Id,
    ) -> Explanation {
        match self.position(id.as_ref()) {
            Some(i) => explain_one(&self.index_for(q), weights, self.rows.slot(i)),
            None => Explanation::UnknownProgram {
                program_id: id.as_ref().to_owned(),
            },
        }
    }

    /// Every program that cannot take the patient, with all its reasons, in
    /// program-id order: what a ranking lists as `excluded` when
    /// [`MatchOptions::with_exclusion_details`] is on, built lazily, one
    /// program at a time.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = dir.query(&sample::patients()[1].needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
    /// let ranking = dir.rank(&q, &Weights::default(), 5);
    /// assert!(ranking.excluded.is_empty() && ranking.excluded_count > 0);
    /// assert_eq!(dir.exclusions(&q).count(), ranking.excluded_count);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn exclusions<'a>(&'a self, q: &'a Query) -> impl Iterator<Item = Exclusion> + 'a {
        let index = self.index_for(q);
        self.by_rank.iter().filter_map(move |pos| {
            let i = self.rows.slot(*pos as usize);
            index.eligibility(i, false).outcome().err()?;
            let e = index.eligibility(i, true);
            let p = self.programs.get(*pos as usize);
            let reasons = exclusion_reasons(q, &e, &p);
            Some(Exclusion {
                program_id: p.id,
                program_name: p.name,
                reasons,
            })
        })
    }

    /// Ranks the directory for one patient: the top `k` programs at the
    /// query's level with their breakdowns, the top `k` labelled
    /// alternatives (when the query's options ask for them), exclusion
    /// counts by reason, and (only when
    /// [`MatchOptions::with_exclusion_details`] asks) every excluded program
    /// with all its reasons ([`Directory::exclusions`] lists them on demand).
    ///
    /// Deterministic: score by `f64::total_cmp`, then distance, then wait,
    /// then program id.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let q = dir.query(&sample::patients()[0].needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF))?;
    /// let top5 = dir.rank(&q, &Weights::default(), 5);
    /// let top6 = dir.rank(&q, &Weights::default(), 6);
    /// assert_eq!(top5.matches[..], top6.matches[..top5.matches.len()]);
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn rank(&self, q: &Query, weights: &Weights, k: usize) -> Ranking {
        rank_with(&self.index_for(q), weights, k)
    }

    /// Ranks many patients against the directory in one call: element `i`
    /// is `self.rank(&queries[i], weights, k)`. With the `rayon` feature the
    /// queries run in parallel; the results are the same either way.
    ///
    /// # Example
    ///
    /// ```
    /// # use carematch::{*, level::*, matching::*};
    /// let dir = Directory::new(sample::massachusetts(), sample::AS_OF)?;
    /// let queries = sample::patients()
    ///     .iter()
    ///     .map(|p| dir.query(&p.needs, LevelOfCare::IntensiveOutpatient, MatchOptions::new(sample::AS_OF)))
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// let rankings = dir.rank_batch(&queries, &Weights::default(), 5);
    /// assert_eq!(rankings[1], dir.rank(&queries[1], &Weights::default(), 5));
    /// # Ok::<(), carematch::Error>(())
    /// ```
    pub fn rank_batch(&self, queries: &[Query], weights: &Weights, k: usize) -> Vec<Ranking> {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            queries
                .par_iter()
                .map(|q| self.rank(q, weights, k))
                .collect()
        }
        #[cfg(not(feature = "rayon"))]
        {
            queries.iter().map(|q| self.rank(q, weights, k)).collect()
        }
    }

    /// Ranks as [`Directory::rank`] does and finishes in numbers (no match
    /// explained; [`crate::matching::rank`]'s `Scored`), each match's
    /// program by its position (as in [`Directory::programs`]): what placing
    /// a queue reads of each referral's ranking.
    pub(crate) fn rank_scored(&self, q: &Query, weights: &Weights, k: usize) -> Scored {
        let mut scored = rank_scored(&self.index_for(q), weights, k);
        for m in &mut scored.matches {
            m.program = self.rows.position(m.program);
        }
        scored
    }

    /// The program at `position`, when it is a match for `q`, explained as
    /// [`Directory::rank`] lists it among the matches; `None` otherwise.
    pub(crate) fn explain_match_at(
        &self,
        q: &Query,
        weights: &Weights,
        position: usize,
    ) -> Option<Match> {
        explain_match(&self.index_for(q), weights, self.rows.slot(position))
    }

    /// The index's slot of the program at `position` (for the property test).
    #[cfg(test)]
    pub(crate) fn slot(&self, position: usize) -> usize {
        self.rows.slot(position)
    }

    /// The compiled index as a producer of facts for `q` (for the property
    /// test holding the two producers equal), by slot ([`Directory::slot`]).
    #[cfg(test)]
    pub(crate) fn index<'a>(&'a self, q: &'a Query) -> impl FactSource + 'a {
        self.index_for(q)
    }

    /// The index over this directory's rows, partitions and programs, for `q`.
    fn index_for<'a>(&'a self, q: &'a Query) -> Index<'a> {
        Index::new(&self.rows, &self.parts, &self.programs, self.scan, q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The partitions and tallies a snapshot holds are read back as
    /// counting them from the rows gives them, for a directory built in
    /// one go and for one changed by updates (lists with gaps, tallies
    /// counted down).
    #[test]
    fn a_snapshots_partitions_are_those_counted_from_its_rows() {
        for seed in 0..6 {
            let programs = crate::synthetic::directory(120, seed);
            let mut d = Directory::new(programs[..80].to_vec(), crate::synthetic::AS_OF).unwrap();
            if seed % 2 == 1 {
                for p in &programs[80..] {
                    d.insert(p.clone()).unwrap();
                }
                for p in programs.iter().step_by(5) {
                    d.remove(&p.id).unwrap();
                }
            }
            let mut bytes = Vec::new();
            d.write_snapshot(&mut bytes).unwrap();
            let back = Directory::read_snapshot(bytes.as_slice()).unwrap();
            let mut counted = Parts::default();
            for slot in 0..back.rows.len() {
                counted.add(slot as u32, &back.rows.part_key(slot));
            }
            for parts in [&d.parts, &back.parts] {
                assert_eq!(parts.arrays(), counted.arrays(), "seed {seed}");
                assert_eq!(parts.tallies, counted.tallies, "seed {seed}");
                assert_eq!(parts.screens, counted.screens, "seed {seed}");
            }
        }
    }

    #[test]
    fn replacing_one_program_over_and_over_keeps_the_side_arrays_bounded() {
        let programs = crate::synthetic::directory(50, 3);
        let mut d = Directory::new(programs.clone(), crate::synthetic::AS_OF).unwrap();
        let mut compacted = false;
        for round in 0..200 {
            let mut p = programs[round % 7 + 1].clone();
            p.id = programs[0].id.clone();
            d.replace(p).unwrap();
            let (side, live, dead) = d.rows.side_entries();
            assert_eq!(side, live + dead);
            assert!(dead < 64 || dead * 2 < side + 64, "round {round}");
            compacted |= dead == 0;
        }
        assert!(compacted, "compaction ran");
        let mut expected = programs.clone();
        expected[0] = programs[199 % 7 + 1].clone();
        expected[0].id = programs[0].id.clone();
        let fresh = Directory::new(expected, crate::synthetic::AS_OF).unwrap();
        for needs in crate::synthetic::patients(3, 3) {
            let q = fresh
                .query(
                    &needs,
                    needs.level.unwrap(),
                    MatchOptions::new(crate::synthetic::AS_OF),
                )
                .unwrap();
            assert_eq!(
                d.rank(&q, &Weights::default(), 10),
                fresh.rank(&q, &Weights::default(), 10)
            );
        }
    }
    #[test]
    fn query_takes_the_level_from_the_needs_when_not_given() {
        let d =
            Directory::new(crate::synthetic::directory(20, 5), crate::synthetic::AS_OF).unwrap();
        let options = MatchOptions::new(crate::synthetic::AS_OF);
        let mut needs = crate::synthetic::patients(1, 5).remove(0);
        let level = needs.level.unwrap();
        let from_needs = d.query(&needs, None, options).unwrap();
        let given = d.query(&needs, level, options).unwrap();
        assert_eq!(from_needs.level(), level);
        assert_eq!(
            d.rank(&from_needs, &Weights::default(), 5),
            d.rank(&given, &Weights::default(), 5)
        );
        needs.level = None;
        let err = d.query(&needs, None, options).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Query);
        assert_eq!(err.problems()[0].path, "level");
        assert_eq!(d.query(&needs, level, options).unwrap().level(), level);
    }

    #[test]
    fn a_query_stays_valid_across_updates() {
        let programs = crate::synthetic::directory(200, 11);
        let extra = crate::synthetic::directory(230, 12);
        let mut d = Directory::new(programs.clone(), crate::synthetic::AS_OF).unwrap();
        let options = MatchOptions::new(crate::synthetic::AS_OF)
            .with_alternatives_included(true)
            .with_waitlist_allowed(true);
        let patients = crate::synthetic::patients(8, 11);
        let before: Vec<Query> = patients
            .iter()
            .map(|n| d.query(n, None, options).unwrap())
            .collect();
        // Inserts (with payers, languages and places the directory had not
        // interned), replacements, removals and new-patient status changes.
        for (i, p) in extra.iter().skip(200).enumerate() {
            let mut p = p.clone();
            p.id = format!("new-{i}").parse().unwrap();
            d.insert(p).unwrap();
        }
        for i in 0..40 {
            let mut p = extra[i].clone();
            p.id = programs[i].id.clone();
            d.replace(p).unwrap();
        }
        for p in &programs[40..60] {
            d.remove(p.id.as_str()).unwrap();
        }
        for p in &programs[60..80] {
            d.set_accepting(p.id.as_str(), false, Some(9)).unwrap();
        }
        let fresh = Directory::new(d.programs().collect(), crate::synthetic::AS_OF).unwrap();
        for (q, needs) in before.iter().zip(&patients) {
            let now = fresh.query(needs, None, options).unwrap();
            let expected = fresh.rank(&now, &Weights::default(), 10);
            assert_eq!(d.rank(q, &Weights::default(), 10), expected);
            let any = programs[70].id.as_str();
            assert_eq!(
                d.explain(q, &Weights::default(), any),
                fresh.explain(&now, &Weights::default(), any)
            );
            assert!(d.exclusions(q).eq(fresh.exclusions(&now)));
        }
    }
}
