//! Links the binaries as position-dependent executables on Linux (`-no-pie`).
//!
//! A PIE binary is relocated at every start: 12,585 relocations, each writing a pointer
//! into a page that the process then owns a copy of. `check` of a whole repository takes
//! about 10 ms, so that start is a tenth of it: without PIE, 117 relocations are left and
//! `check` of the corpus takes 0.88 of the time (wall and CPU, 31 runs each, `farm-bench`;
//! see the README's Speed section). What is given up: the executable's own code is not at
//! a random address (the libraries, stack and heap still are). Proc-macro libraries are
//! not binaries, so this cannot go in `RUSTFLAGS`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
