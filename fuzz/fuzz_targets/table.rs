//! Any bytes as a table content file: loading and checking never panic or hang.
#![no_main]

mod site;

use congkhai::load::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| site::check_file("content/recoveries/2025-q1.csv", Kind::Recovery, data));
