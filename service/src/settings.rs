//! The service's settings: each a command-line flag and an environment
//! variable (the flag wins). The service's README lists them all.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// carematch's HTTP service: level, rank, explain and assign over a live,
/// durable directory of programs.
///
/// It offers a recommendation and its basis; a clinician decides. With no
/// arguments it serves the embedded fictional sample on 127.0.0.1:3000.
#[derive(Debug, Clone, Parser)]
#[command(name = "carematch-service", version)]
pub struct Settings {
    /// The address to listen on.
    #[arg(long, env = "CAREMATCH_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// A directory to serve: a carematch directory (JSON), or a source in
    /// `--format` (for HSDS also a folder of CSV files). Imported into a
    /// new store; a store that already holds programs is served as it is
    /// (the file is then ignored, with a warning). Without it and without a
    /// store, the embedded fictional sample.
    #[arg(long, env = "CAREMATCH_DIRECTORY", value_name = "FILE")]
    pub directory: Option<PathBuf>,

    /// The format of `--directory`: carematch, hsds, fhir or samhsa.
    #[arg(long, env = "CAREMATCH_FORMAT", default_value = "carematch",
          value_parser = ["carematch", "hsds", "fhir", "samhsa"])]
    pub format: String,

    /// The store: a SQLite file (created when absent), `:memory:` (updates
    /// last until the process ends), or a `postgres://` URL (built with
    /// `--features postgres`; for several replicas).
    #[arg(
        long,
        env = "CAREMATCH_DB",
        value_name = "PATH|URL",
        default_value = ":memory:"
    )]
    pub db: String,

    /// The date verification dates are judged against (YYYY-MM-DD): by
    /// default the sample's reference date for the sample, today (UTC)
    /// otherwise.
    #[arg(long, env = "CAREMATCH_AS_OF", value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// A file of bearer tokens, one `name:token` a line (tokens of 16
    /// characters or more). Writes need one; without any, writes are refused.
    #[arg(long, env = "CAREMATCH_TOKENS_FILE", value_name = "FILE")]
    pub tokens_file: Option<PathBuf>,

    /// Bearer tokens as `name:token,name:token` (beside `--tokens-file`).
    #[arg(
        long,
        env = "CAREMATCH_TOKENS",
        value_name = "NAME:TOKEN,...",
        hide_env_values = true
    )]
    pub tokens: Option<String>,

    /// Require a token on the read routes too (level, rank, explain,
    /// assign, GET of a program, metrics, openapi); health and ready stay open.
    #[arg(long, env = "CAREMATCH_READ_AUTH")]
    pub read_auth: bool,

    /// The coordinator page's address as the EHR's users reach it (an
    /// absolute URL such as `https://carematch.hospital.example/`): the CDS
    /// Hooks programs card links to it. Unset: the cards carry no link.
    #[arg(long, env = "CAREMATCH_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// A FHIR server the CDS Hooks service may fetch from (its base URL,
    /// `https`, or `http` on a loopback address; repeat the flag, or
    /// separate with commas in the variable). A call whose `fhirServer` is
    /// one of them, with `fhirAuthorization`, has the prefetch keys it sent
    /// as `null` or left out fetched from there with its token. Unset:
    /// nothing is ever fetched.
    #[arg(
        long = "fhir-server",
        env = "CAREMATCH_FHIR_SERVERS",
        value_name = "URL",
        value_delimiter = ','
    )]
    pub fhir_servers: Vec<String>,

    /// Seconds all the fetches of one CDS Hooks call may take together
    /// (they run at once); what has not come by then is named as missing.
    #[arg(long, env = "CAREMATCH_FHIR_TIMEOUT", default_value_t = 5.0)]
    pub fhir_timeout: f64,

    /// The largest answer the FHIR server may give to one fetch, in bytes.
    #[arg(long, env = "CAREMATCH_FHIR_MAX_BYTES", default_value_t = 1 << 20)]
    pub fhir_max_bytes: u64,

    /// The largest request body, in bytes (413 beyond).
    #[arg(long, env = "CAREMATCH_BODY_LIMIT", default_value_t = 1 << 20)]
    pub body_limit: usize,

    /// The largest request head (request line and headers), in bytes (431 beyond).
    #[arg(long, env = "CAREMATCH_HEADER_LIMIT", default_value_t = 16 * 1024)]
    pub header_limit: usize,

    /// Seconds a client has to send a request's headers (the connection is
    /// closed after), also the idle time of a kept-alive connection.
    #[arg(long, env = "CAREMATCH_HEADER_TIMEOUT", default_value_t = 10.0)]
    pub header_timeout: f64,

    /// Seconds a client has to send a request's body (408 after).
    #[arg(long, env = "CAREMATCH_BODY_TIMEOUT", default_value_t = 10.0)]
    pub body_timeout: f64,

    /// Seconds a read route may take (503 after); a write is never cut
    /// off once it reaches the store.
    #[arg(long, env = "CAREMATCH_HANDLER_TIMEOUT", default_value_t = 10.0)]
    pub handler_timeout: f64,

    /// Rankings run at once, on the ranking pool's own threads (default: the machine's cores).
    #[arg(long, env = "CAREMATCH_WORKERS")]
    pub workers: Option<usize>,

    /// Rankings that may wait for a worker; beyond, 503 with Retry-After.
    #[arg(long, env = "CAREMATCH_QUEUE", default_value_t = 64)]
    pub queue: usize,

    /// Writes that may wait for the store; beyond, 503 with Retry-After.
    #[arg(long, env = "CAREMATCH_WRITE_QUEUE", default_value_t = 64)]
    pub write_queue: usize,

    /// Open connections at most; more wait to be accepted.
    #[arg(long, env = "CAREMATCH_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// The most matches a ranking may ask for (`top`).
    #[arg(long, env = "CAREMATCH_MAX_TOP", default_value_t = 100)]
    pub max_top: usize,

    /// The most excluded programs one ranking lists (`exclusions_limit`);
    /// the rest are paged with `exclusions_offset`.
    #[arg(long, env = "CAREMATCH_MAX_EXCLUSIONS", default_value_t = 100)]
    pub max_exclusions: usize,

    /// The most referrals one `/assign` may carry.
    #[arg(long, env = "CAREMATCH_MAX_REFERRALS", default_value_t = 500)]
    pub max_referrals: usize,

    /// Seconds in-flight requests have to finish after SIGTERM.
    #[arg(long, env = "CAREMATCH_SHUTDOWN_GRACE", default_value_t = 10.0)]
    pub shutdown_grace: f64,

    /// Milliseconds between reads of the store's changes (other replicas'
    /// writes); 0 turns polling off (the default for SQLite, one process).
    #[arg(long, env = "CAREMATCH_POLL_MS")]
    pub poll_ms: Option<u64>,

    /// Log format: json (one object a line) or text.
    #[arg(long, env = "CAREMATCH_LOG", default_value = "json", value_parser = ["json", "text"])]
    pub log: String,
}

impl Settings {
    /// The settings of a service with no arguments and no environment.
    pub fn defaults() -> Settings {
        Settings::parse_from(["carematch-service"])
    }

    /// Seconds as a duration (negative and NaN as zero).
    pub fn secs(s: f64) -> Duration {
        Duration::try_from_secs_f64(s).unwrap_or(Duration::ZERO)
    }
}
