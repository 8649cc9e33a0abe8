//! The carematch demo, on the embedded sample directory of fictional
//! Massachusetts programs.
//!
//! Run it with `cargo run --release --example demo`.

use std::collections::BTreeMap;
use std::fmt::Display;

use carematch::{
    Diagnosis, Directory, GeoPoint, LevelOfCare, LevelPolicy, PatientNeeds, Program,
    ValidationReport,
    matching::{MatchOptions, Weights},
    sample,
};

/// How many programs to show per patient.
const TOP: usize = 5;

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Read, validated once and compiled; the warnings stay on the directory.
    let directory = Directory::from_json(sample::MASSACHUSETTS_JSON, sample::AS_OF)?;
    print_banner();
    let weights = Weights::default();
    let policy = LevelPolicy::default();
    // Matching counts a patient as stepping down within the policy's window.
    let step_down_days = policy
        .rules()
        .step_down
        .as_ref()
        .map_or(0, |s| s.within_days);
    println!();
    println!("Weights: {weights}");
    for (i, patient) in sample::patients().iter().enumerate() {
        println!();
        println!("{}", "=".repeat(78));
        println!("Patient {}: {}", i + 1, patient.description);
        println!("{}", "=".repeat(78));
        // Assessment to level of care: every rule that fired, with its source.
        let recommendation = policy.recommend(&patient.assessment);
        println!("{recommendation}");
        println!();
        // Level of care to programs: the recommendation's level (a clinician's
        // override would replace it), with the assessment carried into
        // matching: its age, discharge and substance use, its safety floor,
        // and its flags as alerts.
        let options = MatchOptions::new(sample::AS_OF)
            .with_alternatives_included(true)
            .with_step_down_days(step_down_days);
        let query = directory.query_for(&patient.needs, &recommendation, options)?;
        let ranking = directory.rank(&query, &weights, TOP);
        print!("{ranking}");
    }
    print_disorder_specific(&directory, &weights)?;
    println!();
    println!("{}", "=".repeat(78));
    print_queue(&directory)?;
    println!();
    println!("{}", "=".repeat(78));
    print_directory_summary(
        &directory.programs().collect::<Vec<_>>(),
        directory.warnings(),
    );
    Ok(())
}

/// A morning's queue of referrals placed at once in the programs' open
/// slots: priority tiers first, then the most placed and the best total
/// score, with each referral's reason; and the first-come-first-served
/// placement it replaces, for comparison.
fn print_queue(directory: &Directory) -> Result<(), carematch::Error> {
    use carematch::assign::{AssignOptions, Method, PriorityPolicy, assign, referrals_from_json};
    let queue = referrals_from_json(sample::REFERRALS_JSON)?;
    let policy = PriorityPolicy::default();
    let options = AssignOptions::new(sample::AS_OF);
    println!(
        "Placing a queue of {} fictional referrals at once",
        queue.len()
    );
    println!("{}", "=".repeat(78));
    let best = assign(directory, &queue, &policy, &options)?;
    print!("{best}");
    let fcfs = assign(
        directory,
        &queue,
        &policy,
        &options.with_method(Method::FirstComeFirstServed),
    )?;
    println!();
    println!(
        "First come, first served would place {} (total score {:.3}); by priority tier: {} (total score {:.3}).",
        fcfs.placed, fcfs.total_score, best.placed, best.total_score
    );
    Ok(())
}

/// A fourth patient, matched at a level the clinician chose: obsessive-
/// compulsive disorder, where the guideline names a specific CBT (exposure and
/// response prevention). The program offering ERP leads; programs offering
/// only plain CBT earn half credit for it, and the reasons say so. The
/// patient's plan, Harvard Pilgrim, is a Point32Health plan, so programs
/// listing Point32Health take it.
fn print_disorder_specific(
    directory: &Directory,
    weights: &Weights,
) -> Result<(), Box<dyn std::error::Error>> {
    println!();
    println!("{}", "=".repeat(78));
    println!(
        "Patient 4 (level chosen by the clinician): 29-year-old near Framingham with OCD (F42.2), on Harvard Pilgrim Health Care"
    );
    println!("{}", "=".repeat(78));
    let mut needs = PatientNeeds::new(29, "commercial: Harvard Pilgrim Health Care".parse()?)
        .with_diagnosis(Diagnosis::from_code("F42.2".parse()?).primary());
    needs.location = Some(GeoPoint::new(42.2793, -71.4162)?);
    needs.max_travel_miles = Some(30.0);
    let level = LevelOfCare::IntensiveOutpatient;
    let query = directory.query(&needs, level, MatchOptions::new(sample::AS_OF))?;
    print!("{}", directory.rank(&query, weights, 3));
    Ok(())
}

fn print_banner() {
    println!("carematch demo: a sample directory of Massachusetts treatment programs");
    println!();
    println!("FICTIONAL DATA. Every program, organization, address and staff count in the");
    println!("sample is invented; only the cities are real. Do not refer anyone to them.");
    println!();
    println!("carematch is decision support for clinicians: it offers options and the");
    println!("reasons for them, and a clinician decides. It is not a crisis service: in a");
    println!("crisis call or text 988, or the Massachusetts Behavioral Health Help Line,");
    println!("833-773-2445 (24/7).");
}

/// Counts of the directory's programs by city, level, payer and schedule,
/// how many take new patients, and the validation warnings.
fn print_directory_summary(programs: &[Program], warnings: &ValidationReport) {
    println!();
    println!(
        "Directory: {} programs, verified as of {}",
        programs.len(),
        sample::AS_OF
    );

    print_counts("By city", programs.iter().map(|p| p.location.city.as_str()));
    print_counts(
        "By level of care (a program may offer several)",
        programs.iter().flat_map(|p| &p.levels),
    );
    print_counts(
        "By payer accepted",
        programs
            .iter()
            .flat_map(|p| &p.payers)
            .map(|p| p.to_string()),
    );

    let tracks: Vec<_> = programs.iter().flat_map(|p| &p.tracks).collect();
    print_counts(
        "Tracks by part of day their sessions start in (a track may span several)",
        tracks.iter().flat_map(|t| t.parts_of_day()),
    );
    let weekend = tracks.iter().filter(|t| t.has_weekend()).count();
    println!("  {:<52} {weekend:>3}", "with weekend sessions");

    let accepting = programs.iter().filter(|p| p.accepting_new_patients).count();
    println!();
    println!(
        "Accepting new patients: {accepting} of {} programs",
        programs.len()
    );

    println!();
    if warnings.warnings().next().is_none() {
        println!("Validation: no warnings");
    } else {
        println!("Validation warnings:");
        for w in warnings.warnings() {
            println!("  {w}");
        }
    }
}

/// Prints how often each item occurs, in the items' own order.
fn print_counts<K: Ord + Display>(title: &str, items: impl IntoIterator<Item = K>) {
    let mut counts: BTreeMap<K, usize> = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    println!();
    println!("{title}:");
    for (item, n) in &counts {
        println!("  {:<52} {n:>3}", item.to_string());
    }
}
