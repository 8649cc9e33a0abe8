//! Reading a large directory document's programs on several threads, handed
//! on in document order.
//!
//! The programs array is cut into chunks at guessed element boundaries: from
//! an even split of the bytes, the first `{` after a `,` from which a whole
//! [`Program`] reads. Each chunk is read by a worker thread, element by
//! element, exactly as the sequential reader reads the array (an element, white
//! space, a `,` or the closing `]`), and a chunk counts only if its last
//! element's `,` lands exactly on the next chunk's first byte. The first
//! chunk starts at the array's first element, so by induction every chunk
//! starts at a true element and the programs handed on are exactly those the
//! sequential reader reads, in the same order. A guess that does not land,
//! and any error, ends the read as failed; the caller then reads the document
//! the plain way, whose errors (with their field paths) are the only ones
//! anybody sees.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use super::Checked;
use crate::{date::Date, program::Program};

/// Documents below 8 MiB are read on one thread (the threads would cost
/// more than they save), and the programs array is cut in chunks of 4 MiB
/// (about 2,500 generated programs): the chunks read ahead of the reader
/// are held in memory, and the allocator keeps that room once they are
/// dropped (about 25 MB at 1,000,000 programs on two threads; 16 MiB chunks
/// kept 80 MB).
const SIZES: Sizes = Sizes {
    min: 8 << 20,
    chunk: 4 << 20,
};

/// The smallest document read on several threads, and the bytes of the
/// programs array per chunk (tests use small ones).
#[derive(Clone, Copy)]
struct Sizes {
    min: usize,
    chunk: usize,
}

/// Programs a worker hands on at a time.
///
/// Workers also check each program on its own ([`Program::validate`]), and
/// drop the batches the reader is done with, so that the memory is given
/// back in the thread that took it.
const BATCH: usize = 128;

/// How a parallel read ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Every program was handed on, in order, and the document is whole.
    Read,
    /// Nothing was handed on: the document is not one the parallel reader
    /// takes (too small, one thread, an unusual top level); read it the
    /// sequential way.
    NotTaken,
    /// A problem once the programs were reached (some may have been handed
    /// on): an error in the document, or a guessed boundary that did not
    /// land. The caller discards what it was handed and reads the document
    /// the plain way.
    Failed,
}

/// Reads a directory document's programs on up to `threads` worker threads,
/// handing them to `sink` in batches, in document order (see the module
/// docs); what `sink` leaves in a batch is dropped.
pub(crate) fn read_each(
    text: &str,
    as_of: Date,
    threads: usize,
    sink: &mut dyn FnMut(&mut Vec<Checked>),
) -> Outcome {
    read_each_sized(text, as_of, threads, SIZES, sink)
}

fn read_each_sized(
    text: &str,
    as_of: Date,
    threads: usize,
    sizes: Sizes,
    sink: &mut dyn FnMut(&mut Vec<Checked>),
) -> Outcome {
    if threads < 2 || text.len() < sizes.min {
        return Outcome::NotTaken;
    }
    let b = text.as_bytes();
    let mut at = ws(b, 0);
    if b.get(at) != Some(&b'{') {
        return Outcome::NotTaken;
    }
    at += 1;
    let (mut notice, mut programs) = (false, false);
    loop {
        at = ws(b, at);
        let Some((key, end)) = key(text, at) else {
            return fail(programs);
        };
        at = ws(b, end);
        if b.get(at) != Some(&b':') {
            return fail(programs);
        }
        at = ws(b, at + 1);
        match key.as_str() {
            "notice" if !notice => {
                notice = true;
                match value_at::<Option<String>>(text, at) {
                    Some((_, end)) => at = end,
                    None => return fail(programs),
                }
            }
            "programs" if !programs => {
                programs = true;
                if b.get(at) != Some(&b'[') {
                    return Outcome::NotTaken;
                }
                let first = ws(b, at + 1);
                if b.get(first) == Some(&b']') {
                    return Outcome::NotTaken;
                }
                let cuts = cuts(text, first, sizes.chunk);
                if cuts.len() < 2 {
                    return Outcome::NotTaken;
                }
                match run(text, as_of, &cuts, threads, sink) {
                    Ran::Ended(end) => at = end,
                    Ran::NotStarted => return Outcome::NotTaken,
                    Ran::Failed => return Outcome::Failed,
                }
            }
            _ => return fail(programs),
        }
        at = ws(b, at);
        match b.get(at) {
            Some(b',') => at += 1,
            Some(b'}') => break,
            _ => return fail(programs),
        }
    }
    if !programs || ws(b, at + 1) != b.len() {
        return fail(programs);
    }
    Outcome::Read
}

/// `Failed` once programs were handed on, `NotTaken` before.
fn fail(programs: bool) -> Outcome {
    if programs {
        Outcome::Failed
    } else {
        Outcome::NotTaken
    }
}

/// The first byte at or after `at` that is not JSON white space.
fn ws(b: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(at) {
        at += 1;
    }
    at
}

/// The key at `at`, escapes read as JSON reads them (as the derived reader
/// reads a field name), and the position just after its closing quote.
fn key(text: &str, at: usize) -> Option<(String, usize)> {
    if text.as_bytes().get(at) != Some(&b'"') {
        return None;
    }
    value_at::<String>(text, at)
}

/// The JSON value of type `T` starting at `at` (after any white space), and
/// the position just after it; `None` if none reads there.
fn value_at<T: serde::de::DeserializeOwned>(text: &str, at: usize) -> Option<(T, usize)> {
    let mut values = serde_json::Deserializer::from_str(&text[at..]).into_iter::<T>();
    let value = values.next()?.ok()?;
    Some((value, at + values.byte_offset()))
}

/// Where the chunks start: `first` (the array's first element), then a
/// guessed element start after each even share of the bytes.
fn cuts(text: &str, first: usize, chunk: usize) -> Vec<usize> {
    let b = text.as_bytes();
    let rest = b.len() - first;
    let chunks = rest.div_ceil(chunk).max(1);
    let mut cuts = vec![first];
    for k in 1..chunks {
        let from = (first + k * (rest / chunks)).max(cuts[cuts.len() - 1] + 1);
        match guess(text, from) {
            Some(at) => cuts.push(at),
            None => break,
        }
    }
    cuts
}

/// The first `{` at or after `from`, after a `,` (and white space), from
/// which a whole program reads: a guess at an element's start, checked when
/// the chunk before it is read.
fn guess(text: &str, mut from: usize) -> Option<usize> {
    let b = text.as_bytes();
    loop {
        let at = from + b.get(from..)?.iter().position(|c| *c == b'{')?;
        from = at + 1;
        let mut before = at;
        while before > 0 && matches!(b[before - 1], b' ' | b'\t' | b'\n' | b'\r') {
            before -= 1;
        }
        if before == 0 || b[before - 1] != b',' {
            continue;
        }
        if value_at::<Program>(text, at).is_some() {
            return Some(at);
        }
    }
}

/// How the chunks' reading ended.
#[derive(Debug, PartialEq, Eq)]
enum Ran {
    /// Every chunk landed; the position just after the array's `]`.
    Ended(usize),
    /// No worker could be started (threads unavailable); nothing handed on.
    NotStarted,
    /// A chunk failed after programs were handed on.
    Failed,
}

/// One chunk's programs on their way to the reader, and how it ended.
#[derive(Default)]
struct Chunk {
    /// Each batch with the worker that read it.
    batches: VecDeque<(usize, Vec<Checked>)>,
    /// `Some(Ok(end))` when the chunk is read (`end`: where its last element's
    /// separator led: the next chunk's start, or just past the `]`).
    end: Option<Result<usize, ()>>,
}

/// What the workers and the reader share.
struct Shared<'t> {
    text: &'t str,
    as_of: Date,
    cuts: &'t [usize],
    chunks: Vec<(Mutex<Chunk>, Condvar)>,
    /// The next chunk a worker takes.
    next: AtomicUsize,
    /// The chunk the reader is at, and its condition: a worker waits for it
    /// before going more than `ahead` chunks ahead (the chunks read ahead
    /// are held in memory).
    reading: (Mutex<usize>, Condvar),
    stop: AtomicBool,
    ahead: usize,
    /// Batches the reader is done with, for the worker that read them to
    /// drop (memory given back where it was taken is given back faster).
    spent: Vec<Mutex<Vec<Vec<Checked>>>>,
}

fn run(
    text: &str,
    as_of: Date,
    cuts: &[usize],
    threads: usize,
    sink: &mut dyn FnMut(&mut Vec<Checked>),
) -> Ran {
    let workers = threads.min(cuts.len());
    let shared = Shared {
        text,
        as_of,
        cuts,
        chunks: (0..cuts.len()).map(|_| Default::default()).collect(),
        next: AtomicUsize::new(0),
        reading: (Mutex::new(0), Condvar::new()),
        stop: AtomicBool::new(false),
        ahead: workers + 1,
        spent: (0..workers).map(|_| Mutex::default()).collect(),
    };
    std::thread::scope(|s| {
        let shared = &shared;
        let workers: Vec<_> = (0..workers)
            .filter_map(|worker| {
                std::thread::Builder::new()
                    .name("carematch-load".into())
                    .spawn_scoped(s, move || work(shared, worker))
                    .ok()
            })
            .collect();
        if workers.is_empty() {
            return Ran::NotStarted;
        }
        let ran = {
            // Stops the workers however the reader leaves (also on a panic
            // in `sink`), so that no worker stays parked at the gate.
            let _stop = StopOnDrop(shared);
            read_in_order(shared, sink)
        };
        // Joined here rather than by the scope, so that a worker's panic
        // reaches the caller as it was raised.
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        ran
    })
}

/// The reader: hands each chunk's batches to `sink`, chunk after chunk.
fn read_in_order(shared: &Shared<'_>, sink: &mut dyn FnMut(&mut Vec<Checked>)) -> Ran {
    for (k, (chunk, ready)) in shared.chunks.iter().enumerate() {
        {
            let (at, moved) = &shared.reading;
            *lock(at) = k;
            moved.notify_all();
        }
        loop {
            let mut c = lock(chunk);
            while c.batches.is_empty() && c.end.is_none() {
                c = ready.wait(c).unwrap_or_else(|e| e.into_inner());
            }
            if let Some((worker, mut batch)) = c.batches.pop_front() {
                drop(c);
                sink(&mut batch);
                lock(&shared.spent[worker]).push(batch);
                continue;
            }
            match c.end {
                Some(Ok(end)) if k + 1 == shared.cuts.len() => return Ran::Ended(end),
                Some(Ok(_)) => break,
                _ => return Ran::Failed,
            }
        }
    }
    Ran::Failed
}

struct StopOnDrop<'a, 't>(&'a Shared<'t>);

impl Drop for StopOnDrop<'_, '_> {
    fn drop(&mut self) {
        self.0.stop.store(true, Ordering::Relaxed);
        let (at, moved) = &self.0.reading;
        drop(lock(at));
        moved.notify_all();
    }
}

/// Ends a worker's chunk as failed if the worker panics: the reader, waiting
/// for the chunk, then stops, and passes the worker's panic on to the
/// caller (see [`run`]).
struct FailOnUnwind<'a>(&'a (Mutex<Chunk>, Condvar), &'a AtomicBool);

impl Drop for FailOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.1.store(true, Ordering::Relaxed);
            lock(&self.0.0).end.get_or_insert(Err(()));
            self.0.1.notify_one();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A worker: takes chunks in order and reads each, unless told to stop.
fn work(shared: &Shared<'_>, worker: usize) {
    loop {
        let k = shared.next.fetch_add(1, Ordering::Relaxed);
        if k >= shared.cuts.len() {
            return;
        }
        {
            let (at, moved) = &shared.reading;
            let mut at = lock(at);
            while k >= *at + shared.ahead && !shared.stop.load(Ordering::Relaxed) {
                at = moved.wait(at).unwrap_or_else(|e| e.into_inner());
            }
        }
        let (chunk, ready) = &shared.chunks[k];
        let _unwind = FailOnUnwind(&shared.chunks[k], &shared.stop);
        let end = if shared.stop.load(Ordering::Relaxed) {
            Err(())
        } else {
            read_chunk(shared, k, &mut |batch| {
                lock(chunk).batches.push_back((worker, batch));
                ready.notify_one();
                // Drops the programs of a batch the reader is done with here
                // and reuses its room for the next batch.
                let mut next = lock(&shared.spent[worker]).pop().unwrap_or_default();
                next.clear();
                next.reserve_exact(BATCH);
                next
            })
        };
        lock(chunk).end = Some(end);
        ready.notify_one();
        if end.is_err() {
            shared.stop.store(true, Ordering::Relaxed);
        }
    }
}

/// Reads chunk `k` element by element, handing on batches; where its last
/// separator led (see [`Chunk::end`]), or `Err` for an error, a boundary
/// that did not land, or a stop.
fn read_chunk(
    shared: &Shared<'_>,
    k: usize,
    hand: &mut dyn FnMut(Vec<Checked>) -> Vec<Checked>,
) -> Result<usize, ()> {
    let (text, b) = (shared.text, shared.text.as_bytes());
    let to = shared.cuts.get(k + 1).copied();
    let mut at = shared.cuts[k];
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let Some((p, end)) = value_at::<Program>(text, at) else {
            return Err(());
        };
        let report = p.validate(shared.as_of);
        batch.push(Checked { program: p, report });
        at = ws(b, end);
        match b.get(at) {
            Some(b',') => at = ws(b, at + 1),
            Some(b']') if to.is_none() => {
                hand(batch);
                return Ok(at + 1);
            }
            _ => return Err(()),
        }
        if batch.len() == BATCH {
            if shared.stop.load(Ordering::Relaxed) {
                return Err(());
            }
            batch = hand(batch);
        }
        match to {
            Some(to) if at == to => {
                hand(batch);
                return Ok(at);
            }
            Some(to) if at > to => return Err(()),
            _ => {}
        }
    }
}

/// Reads `text` on two threads, cut into chunks of `chunk` bytes whatever
/// its size, and holds the result to the derived reader's: whenever the
/// threads read the document whole, the derived reader reads the same
/// programs (and each report is `Program::validate`'s); a document the
/// derived reader reads is never `Failed`; `NotTaken` hands nothing on.
/// Panics on a disagreement (a fuzz target's oracle; tests use it too).
#[cfg(any(test, feature = "testing"))]
pub(crate) fn check_against_derived(text: &str, chunk: usize, as_of: Date) {
    let sizes = Sizes {
        min: 0,
        chunk: chunk.max(1),
    };
    let (outcome, got) = read_checked(text, as_of, 2, sizes);
    let derived = serde_json::from_str::<super::DirectoryDoc>(text)
        .map(|d| d.programs)
        .ok();
    match outcome {
        Outcome::Read => assert_eq!(
            Some(got),
            derived,
            "read on threads, not so by the derived reader"
        ),
        Outcome::NotTaken => {}
        Outcome::Failed => assert!(
            derived.is_none(),
            "failed on a document the derived reader reads"
        ),
    }
}

/// Reads `text` and keeps the programs handed on, holding each report to
/// `Program::validate`'s and a document not taken to nothing handed on
/// (the callers read it afresh); panics otherwise.
#[cfg(any(test, feature = "testing"))]
fn read_checked(text: &str, as_of: Date, threads: usize, sizes: Sizes) -> (Outcome, Vec<Program>) {
    let mut got = Vec::new();
    let outcome = read_each_sized(text, as_of, threads, sizes, &mut |batch| {
        for c in batch.drain(..) {
            assert_eq!(c.report, c.program.validate(as_of), "a report differs");
            got.push(c.program);
        }
    });
    assert!(
        outcome != Outcome::NotTaken || got.is_empty(),
        "not taken after handing programs on"
    );
    (outcome, got)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document as serde writes it (compact) or as a person might
    /// (pretty, the notice last).
    fn doc(programs: &[Program], pretty: bool) -> String {
        if pretty {
            let programs = serde_json::to_string_pretty(programs).unwrap();
            format!("{{\n  \"programs\": {programs},\n  \"notice\": \"SYNTHETIC\"\n}}\n")
        } else {
            let programs = serde_json::to_string(programs).unwrap();
            format!("{{\"notice\":\"SYNTHETIC\",\"programs\":{programs}}}")
        }
    }

    /// Small sizes, so that small documents have many chunks.
    const SMALL: Sizes = Sizes {
        min: 4 << 10,
        chunk: 8 << 10,
    };

    const AS_OF: Date = crate::synthetic::AS_OF;

    /// Reads `text` on `threads` threads with small sizes: how it ended, and
    /// the programs handed on, each checked as `Program::validate` checks it.
    fn read_on(text: &str, threads: usize) -> (Outcome, Vec<Program>) {
        read_checked(text, AS_OF, threads, SMALL)
    }

    fn read(text: &str) -> (Outcome, Vec<Program>) {
        read_on(text, 2)
    }

    #[test]
    fn a_large_document_reads_as_the_sequential_reader_reads_it() {
        let programs = crate::synthetic::directory(300, 5);
        for pretty in [false, true] {
            let text = doc(&programs, pretty);
            let first = text.find('[').unwrap() + 1;
            let chunks = cuts(&text, ws(text.as_bytes(), first), SMALL.chunk).len();
            assert!(chunks > 20, "{chunks} chunks");
            let (outcome, got) = read(&text);
            assert_eq!(outcome, Outcome::Read);
            assert_eq!(got, programs);
            for threads in [3, 8] {
                assert_eq!(read_on(&text, threads), (Outcome::Read, programs.clone()));
            }
            // Keys written with escapes, as the derived reader reads them.
            let escaped = text.replacen("\"notice\"", "\"n\\u006ftice\"", 1).replacen(
                "\"programs\"",
                "\"pro\\u0067rams\"",
                1,
            );
            assert_ne!(escaped, text);
            assert_eq!(read(&escaped), (Outcome::Read, programs.clone()));
        }
    }

    #[test]
    fn small_documents_and_one_thread_are_not_taken() {
        let programs = crate::synthetic::directory(300, 5);
        let text = doc(&programs, false);
        let mut n = 0;
        assert_eq!(
            read_each(&text, AS_OF, 2, &mut |_| n += 1),
            Outcome::NotTaken,
            "below 8 MiB"
        );
        assert_eq!(read_on(&text, 1), (Outcome::NotTaken, Vec::new()));
        assert_eq!(n, 0);
        // The smallest size read on threads, at the byte.
        for (min, outcome) in [
            (text.len() + 1, Outcome::NotTaken),
            (text.len(), Outcome::Read),
        ] {
            let sizes = Sizes { min, ..SMALL };
            assert_eq!(
                read_each_sized(&text, AS_OF, 2, sizes, &mut |_| {}),
                outcome
            );
        }
        let empty = format!(
            "{{\"programs\":[ ],\"notice\":\"{}\"}}",
            "x".repeat(SMALL.min)
        );
        assert_eq!(read(&empty).0, Outcome::NotTaken);
    }

    #[test]
    fn an_error_anywhere_fails_the_read() {
        let programs = crate::synthetic::directory(300, 5);
        let text = doc(&programs, false);
        assert_eq!(read(&text).0, Outcome::Read);
        // A bad value late in the document, a trailing comma, stray text.
        let late = text.rfind("\"typical_wait_days\":").unwrap();
        let bad = format!(
            "{}\"typical_wait_days\":\"x\",{}",
            &text[..late],
            &text[late + 21..]
        );
        assert_eq!(read(&bad).0, Outcome::Failed);
        let end = text.rfind("]}").unwrap();
        let trailing = format!("{},]}}", &text[..end]);
        assert_eq!(read(&trailing).0, Outcome::Failed);
        assert_eq!(read(&format!("{text} x")).0, Outcome::Failed);
        assert_eq!(read(&format!("{text}{text}")).0, Outcome::Failed);
        let twice = text.replacen("{\"notice\":", "{\"programs\":[],\"notice\":", 1);
        assert_eq!(read(&twice).0, Outcome::NotTaken);
        // A key given twice, which the derived reader refuses.
        let one = serde_json::to_string(&programs[..1]).unwrap();
        let programs_twice = format!("{},\"programs\":{one}}}", &text[..text.len() - 1]);
        assert!(serde_json::from_str::<serde_json::Value>(&programs_twice).is_ok());
        let notice_twice = text.replacen("{\"notice\":", "{\"notice\":null,\"notice\":", 1);
        for text in [programs_twice, notice_twice] {
            assert!(serde_json::from_str::<super::super::DirectoryDoc>(&text).is_err());
            assert_ne!(read(&text).0, Outcome::Read, "{:.80}", text);
        }
    }

    #[test]
    fn the_cuts_split_the_array_evenly_at_program_starts() {
        let programs = crate::synthetic::directory(300, 5);
        let text = doc(&programs, false);
        let first = text.find('[').unwrap() + 1;
        let longest = programs
            .iter()
            .map(|p| serde_json::to_string(p).unwrap().len())
            .max()
            .unwrap();
        let starts: Vec<usize> = text.match_indices("{\"id\":").map(|(at, _)| at).collect();
        let rest = text.len() - first;
        for chunk in [SMALL.chunk, rest / 2, rest - 1] {
            let cuts = cuts(&text, first, chunk);
            let n = rest.div_ceil(chunk);
            assert_eq!(cuts.len(), n, "chunk {chunk}");
            for (k, cut) in cuts.iter().enumerate() {
                let even = first + k * (rest / n);
                assert!(
                    starts.contains(cut),
                    "cut {k} at {cut} is not a program's start"
                );
                assert!(
                    (even..=even + longest).contains(cut),
                    "cut {k} at {cut}, even {even}"
                );
            }
        }
        // One chunk is left to one thread; two are read on threads.
        let sizes = |chunk| Sizes { chunk, ..SMALL };
        let mut n = 0;
        let one = read_each_sized(&text, AS_OF, 2, sizes(rest), &mut |_| n += 1);
        assert_eq!((one, n), (Outcome::NotTaken, 0));
        let two = read_each_sized(&text, AS_OF, 2, sizes(rest - 1), &mut |b| n += b.len());
        assert_eq!((two, n), (Outcome::Read, programs.len()));
    }

    #[test]
    fn a_cut_that_is_not_an_element_start_fails() {
        let programs = crate::synthetic::directory(200, 5);
        let text = doc(&programs, false);
        let first = text.find("[{").unwrap() + 1;
        // The `{` of a session inside the sixth program: it neither reads as
        // a program nor is landed on by the chunk before it.
        let sixth = text.match_indices(",{\"id\":").nth(4).unwrap().0 + 1;
        let inside = sixth + text[sixth..].find("{\"day\"").unwrap();
        for cuts in [
            vec![first, inside],
            vec![first, sixth + 1],
            vec![first, sixth, inside],
        ] {
            assert_eq!(
                run(&text, AS_OF, &cuts, 2, &mut |_| {}),
                Ran::Failed,
                "{cuts:?}"
            );
        }
        let mut got = Vec::new();
        let ran = run(&text, AS_OF, &[first, sixth], 2, &mut |b| {
            got.extend(b.drain(..).map(|c| c.program))
        });
        assert_eq!(ran, Ran::Ended(text.len() - 1));
        assert_eq!(got, programs);
    }

    #[test]
    fn a_panic_in_the_sink_stops_the_workers_and_reaches_the_caller() {
        let text = doc(&crate::synthetic::directory(300, 5), false);
        let read = std::panic::catch_unwind(|| {
            read_each_sized(&text, AS_OF, 2, SMALL, &mut |_| panic!("the sink failed"))
        });
        assert!(read.is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

        /// A document edited at random (bytes cut out, JSON's structural
        /// characters put in): whenever the threads read it whole, the
        /// derived reader reads it too, to the same programs, and a document
        /// the derived reader reads never fails on threads.
        #[test]
        fn an_edited_document_reads_as_the_derived_reader_reads_it_or_not_at_all(
            pretty: bool,
            edits in proptest::collection::vec(
                (0.0..1.0f64, 0usize..12, proptest::sample::select(
                    vec!["", ",", "{", "}", "[", "]", "\"", "\\", " ", ",{", "},{"])),
                0..4,
            ),
        ) {
            let programs = crate::synthetic::directory(40, 3);
            let mut text = doc(&programs, pretty);
            for (at, cut, put) in edits {
                let mut at = (at * text.len() as f64) as usize;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + cut).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(at..end, put);
            }
            check_against_derived(&text, SMALL.chunk, AS_OF);
            check_against_derived(&text, 600, AS_OF);
        }
    }

    #[test]
    fn a_guess_inside_a_string_does_not_land() {
        // A name holding `,{` followed by a whole program written out, as
        // text: the guess may fall in it, and then must not land.
        let mut programs = crate::synthetic::directory(300, 5);
        let one = serde_json::to_string(&programs[0]).unwrap();
        for p in programs.iter_mut().skip(1) {
            p.name = format!("x,{one}");
        }
        let text = doc(&programs, false);
        let (outcome, got) = read(&text);
        assert_eq!(outcome, Outcome::Read, "the quotes in the name are escaped");
        assert_eq!(got, programs);
    }
}
