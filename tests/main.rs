//! Integration tests: one binary (it links once, which matters on 2 cores),
//! one module per area.

mod arb;
mod architecture;
mod assign;
mod classify;
mod cli;
mod concurrency;
mod corruption;
mod crash;
mod dedup;
mod disk_full;
mod fuzz_corpus;
mod guidance;
mod hostile;
mod index;
mod ingest;
mod io_input;
mod learn;
mod market;
mod quality;
mod ranking;
mod real_seekers;
mod reference;
mod reverse;
mod server;
mod shard;
