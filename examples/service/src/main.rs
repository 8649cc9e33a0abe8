//! Serves the embedded sample directory on 127.0.0.1:3000 (or the address
//! given as the first argument):
//!
//! ```sh
//! cargo run -p carematch-service -- 127.0.0.1:3000
//! curl -s localhost:3000/rank -H 'content-type: application/json' \
//!     -d "{\"patient\": $(cat data/examples/patient.json), \"top\": 3}"
//! ```

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let app = carematch_service::app(carematch_service::State::sample());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("carematch service (fictional sample data) on http://{addr}");
    axum::serve(listener, app).await?;
    Ok(())
}
